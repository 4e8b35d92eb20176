package io.ravenpost.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.watch.WatchAddresses;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wire vocabulary has one home: every event-bus address, client op, push op, kick reason and
 * header name is defined once, in this package, and the rest of the product names it from here.
 */
class ContractTest {
  private static final Path MAIN = Path.of("src", "main", "java", "io", "ravenpost");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The classes that define the cluster's addresses, one per area of the contract. */
  static final List<Class<?>> ADDRESS_BOOKS = List.of(MailAddresses.class, OnlineAddresses.class,
      WatchAddresses.class, NodeAddresses.class);

  @Test
  void everyAddressIsDefinedOnceAndDistinct() throws IllegalAccessException {
    Set<String> seen = new HashSet<>();
    for (Class<?> book : ADDRESS_BOOKS) {
      for (Field f : book.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Object v = f.get(null);
        String address = v instanceof Endpoint<?, ?> e ? e.address() : v instanceof Topic<?> t ? t.address() : null;
        if (address != null) {
          assertThat(address).as(f.getName()).startsWith("raven.");
          assertThat(seen.add(address)).as("address %s defined twice", address).isTrue();
        }
      }
    }
    assertThat(seen).hasSizeGreaterThan(15);
    Set<String> ops = new HashSet<>();
    for (ClientOp op : ClientOp.values()) {
      assertThat(ops.add(op.wire())).as("op %s defined twice", op.wire()).isTrue();
    }
  }

  @Test
  void noFeatureSpellsAWireNameOfItsOwn() throws IOException {
    Set<String> wire = new HashSet<>();
    for (ClientOp op : ClientOp.values()) {
      wire.add(op.wire());
    }
    for (KickReason r : KickReason.values()) {
      wire.add(r.name());
    }
    wire.addAll(List.of(Frames.MAIL_NEW, Frames.SESSION_KICKED));
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      // The benchmark (module bench/) is a client of the protocol, like a game's own client: not scanned.
      for (Path p : files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(MAIN.resolve("api"))).toList()) {
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.trim().startsWith("*") || line.trim().startsWith("//")) {
            continue;
          }
          if (line.contains("addHeader(\"") || line.contains("headers().get(\"") || line.contains("headers.get(\"")
              || line.contains("\"op\"") || line.contains("getString(\"action\")")) {
            offences.add(p + ":" + (i + 1) + " header name spelled out: " + line.trim());
          }
          Matcher m = LITERAL.matcher(line);
          while (m.find()) {
            String lit = m.group(1);
            if (lit.startsWith("raven.") || wire.contains(lit)) {
              offences.add(p + ":" + (i + 1) + " wire name \"" + lit + "\" outside io.ravenpost.api");
            }
          }
        }
      }
    }
    assertThat(offences).isEmpty();
  }
}
