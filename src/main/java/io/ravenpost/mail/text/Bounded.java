package io.ravenpost.mail.text;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small least-recently-used map for values that never change once stored (texts, template versions). */
final class Bounded<K, V> {
  private final Map<K, V> map;

  Bounded(int max) {
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  synchronized V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }
}
