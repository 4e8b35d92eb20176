package io.ravenpost.mail.box;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Chooses the text of each mail for the player reading it (PROTOCOL.md "Languages"): mail with
 * texts in several languages, or from a template, is shown in the reader's language; plain mail
 * is shown as stored.
 */
public interface Localize {
  /** Leaves every mail as stored: for nodes and tests without texts. */
  Localize STORED = (uid, mails) -> Future.succeededFuture(mails);

  /** {@code mails} of {@code uid}'s mailbox, each in {@code uid}'s language, in the same order. */
  Future<List<Mail>> apply(long uid, List<Mail> mails);

  /**
   * Every language's title of stored text {@code textId}, for one push told to many sessions at
   * once: {@code api.gate.Broadcast}'s {@code titles}, or null when there is nothing to choose.
   */
  default Future<JsonObject> titles(long textId) {
    return Future.succeededFuture(null);
  }
}
