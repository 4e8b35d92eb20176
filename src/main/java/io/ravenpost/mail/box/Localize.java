package io.ravenpost.mail.box;

import io.vertx.core.Future;
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
}
