package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.PageQuery;

/** A page of one player's mailbox for operators (full mails, nothing marked read): answered {@link MailPage}. */
public record MailboxQuery(long uid, PageQuery page) {
  public static final Codec<MailboxQuery> CODEC = Codec.json(q -> q.page.toJson().put("uid", q.uid),
      j -> new MailboxQuery(Fields.requireLong(j, "uid"), PageQuery.fromJson(j)));
}
