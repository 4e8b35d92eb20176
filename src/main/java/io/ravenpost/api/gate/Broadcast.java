package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.ravenpost.api.text.Locales;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * To a gate address, action {@link GateAction#BROADCAST}: an {@code online} global mail, sent once
 * to every gate node. The gate records which of its sessions were online at {@code createdAt}
 * (global recipients), then pushes {@code mail.new} to them: {@code summary} with {@code mailId} =
 * {@code mailIds[shard of the player]}, the id the player's copy gets when it is written. Answered
 * {@link BroadcastReply} once recorded.
 *
 * @param titles for mail with texts in several languages, each session's title is chosen here
 *               (PROTOCOL.md "Languages"): {@code {byLocale: {locale: title}, defaultLocale,
 *               perPlayer}}, where {@code perPlayer} titles still hold {@link #PLAYER_NAME} and
 *               {@link #PLAYER_UID} for each session to fill; null for plain mail
 */
public record Broadcast(long globalMailId, long createdAt, long visibleAt, JsonObject summary, JsonArray mailIds,
                        JsonObject titles) {
  public static final String PLAYER_NAME = "{{player.name}}";
  public static final String PLAYER_UID = "{{player.uid}}";
  public static final Codec<Broadcast> CODEC = Codec.withHeaders(Broadcast::toJson,
      (b, o) -> o.addHeader(Headers.ACTION, GateAction.BROADCAST.wire()), (j, h) -> fromJson(j));

  /** The id {@code uid}'s copy gets: {@code mailIds} holds one id per MySQL shard, in shard order (uid mod shards). */
  public long mailIdOf(long uid) {
    return mailIds.getLong((int) Math.floorMod(uid, (long) mailIds.size()));
  }

  /** {@code titles} of every language of a mail, as {@link #summaryFor} reads them. */
  public static JsonObject titles(Map<String, String> byLocale, String defaultLocale, boolean perPlayer) {
    return new JsonObject().put("byLocale", new JsonObject(new HashMap<>(byLocale)))
        .put("defaultLocale", defaultLocale).put("perPlayer", perPlayer);
  }

  /** The summary to push to one session: in its language ({@code locale}, may be null) with its name and uid. */
  public JsonObject summaryFor(long uid, String name, String locale) {
    JsonObject out = summary.copy();
    if (titles == null) {
      return out;
    }
    JsonObject byLocale = titles.getJsonObject("byLocale");
    String chosen = Locales.choose(byLocale.fieldNames(), locale, titles.getString("defaultLocale"));
    String title = byLocale.getString(chosen);
    if (titles.getBoolean("perPlayer", false)) {
      title = title.replace(PLAYER_NAME, name == null ? "player " + uid : name).replace(PLAYER_UID, Long.toString(uid));
    }
    return out.put("title", title).put("locale", chosen);
  }

  public JsonObject toJson() {
    return new JsonObject().put("globalMailId", globalMailId).put("createdAt", createdAt).put("visibleAt", visibleAt)
        .put("summary", summary).put("mailIds", mailIds).put("titles", titles);
  }

  public static Broadcast fromJson(JsonObject o) {
    return new Broadcast(Fields.requireLong(o, "globalMailId"), Fields.requireLong(o, "createdAt"),
        Fields.requireLong(o, "visibleAt"), Fields.optObject(o, "summary"), o.getJsonArray("mailIds"),
        Fields.optObject(o, "titles"));
  }
}
