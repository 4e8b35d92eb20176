package io.ravenpost.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bodies for the admin API's routes: a well-formed body per route (what docs/openapi.yaml
 * describes), then damaged as JSON (fields dropped, retyped, added, nested) or as bytes.
 * Mail targets stay {@code users} with uids no player has: a body that survives the damage sends
 * mail nobody reads, never a global mail that other tests' players would receive.
 */
final class BodyInputs {
  private static final String[] TARGET_TYPES = {"users", "all", "all_to_date", "online", "segment", "nobody"};

  private BodyInputs() {
  }

  static JsonObject mail(Random r) {
    JsonArray uids = new JsonArray();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      uids.add(8_000_000_000_000_000_000L + r.nextInt(1_000_000_000));
    }
    JsonObject m = new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", uids))
        .put("title", FrameInputs.string(r)).put("body", FrameInputs.string(r));
    if (r.nextBoolean()) {
      m.put("attachments", new JsonArray().add(new JsonObject().put("type", r.nextBoolean() ? "currency" : "item")
          .put("id", r.nextInt(100)).put("amount", r.nextInt(1000) - 10)));
    }
    if (r.nextBoolean()) {
      m.put("ttlSeconds", r.nextInt(100_000) - 10);
    }
    if (r.nextInt(4) == 0) {
      m.put("startsAt", System.currentTimeMillis() + r.nextInt(1_000_000) - 500_000);
    }
    return m;
  }

  /** Preview only counts, so every target type is fair game here. */
  static JsonObject preview(Random r) {
    JsonObject t = new JsonObject().put("type", TARGET_TYPES[r.nextInt(TARGET_TYPES.length)]);
    if (r.nextBoolean()) {
      t.put("zone", FrameInputs.string(r)).put("minLevel", r.nextInt(100) - 5).put("maxLevel", r.nextInt(100))
          .put("tags", new JsonArray().add(FrameInputs.string(r)));
    }
    if (r.nextBoolean()) {
      t.put("uids", new JsonArray().add(r.nextLong()).add(FrameInputs.string(r)));
    }
    return new JsonObject().put("target", t);
  }

  static JsonObject operator(Random r) {
    return new JsonObject().put("name", "fz" + Integer.toHexString(r.nextInt())).put("role", role(r));
  }

  static JsonObject roleBody(Random r) {
    return new JsonObject().put("role", role(r));
  }

  static JsonObject signIn(Random r) {
    return new JsonObject().put("name", "fz" + Integer.toHexString(r.nextInt(16))).put("password", FrameInputs.string(r));
  }

  private static String role(Random r) {
    return new String[] {"viewer", "operator", "admin", "root", ""}[r.nextInt(5)];
  }

  /** {@code template} damaged one way or another, as the bytes of a request body. */
  static byte[] damage(Random r, JsonObject template) {
    int kind = r.nextInt(10);
    if (kind < 4) {
      JsonObject o = template.copy();
      for (int i = 1 + r.nextInt(3); i > 0; i--) {
        retype(r, r.nextInt(3) == 0 && o.getValue("target") instanceof JsonObject t ? t : o);
      }
      return o.encode().getBytes(StandardCharsets.UTF_8);
    }
    if (kind < 8) {
      return Mutate.bytes(r, template.encode().getBytes(StandardCharsets.UTF_8), 4);
    }
    if (kind < 9) {
      return String.valueOf(FrameInputs.value(r, 3)).getBytes(StandardCharsets.UTF_8);
    }
    byte[] noise = new byte[r.nextInt(48)];
    r.nextBytes(noise);
    return noise;
  }

  private static void retype(Random r, JsonObject o) {
    List<String> keys = new ArrayList<>(o.fieldNames());
    String key = keys.isEmpty() || r.nextInt(4) == 0 ? FrameInputs.string(r) : keys.get(r.nextInt(keys.size()));
    if (r.nextInt(3) == 0) {
      o.remove(key);
    } else {
      o.put(key, FrameInputs.value(r, 2));
    }
  }
}
