package io.ravenpost.mail.global.target;

import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** What global mail rules read about a player: their {@code users} row (creation time in epoch seconds). */
public record GlobalPlayer(long uid, long createdAtSeconds, String zone, Integer level, Set<String> tags) {

  public static GlobalPlayer fromRow(Row r) {
    String tags = r.getString("tags");
    return new GlobalPlayer(r.getLong("uid"), r.getLong("created_at"), r.getString("zone"), r.getInteger("level"),
        tags == null || tags.isEmpty() ? Set.of()
            : Arrays.stream(tags.split(",")).filter(t -> !t.isEmpty()).collect(Collectors.toUnmodifiableSet()));
  }
}
