package io.ravenpost.mail;

/**
 * Event-bus addresses of global mail, answered by any node with the mail role. Sending global mail
 * goes through {@link MailAddresses#SEND} / {@link MailAddresses#ADMIN_SEND} with a target of type
 * {@code all}, {@code all_to_date}, {@code online} or {@code segment}, answered {@code {globalMailId}}.
 */
public final class GlobalAddresses {
  /**
   * Request {@code {cursor?, limit?}} → {@code {mails: [{globalMailId, target, from, title, hasAttachments,
   * createdAt, startsAt, expiresAt, deletedAt, withdrawnAt, delivered, claimed, removed}], nextCursor}},
   * newest first ({@code GET /admin/global-mail}). Counts are copies in mailboxes over every shard.
   */
  public static final String LIST = "raven.mail.global.list";

  /**
   * Request {@code {globalMailId}} → {@code {}} ({@code DELETE /admin/global-mail/{id}}): once answered,
   * no player receives it any more; delivered copies follow {@code global.retractPolicy}. NOT_FOUND
   * for an unknown id; retracting twice is not an error.
   */
  public static final String RETRACT = "raven.mail.global.retract";

  /**
   * Request {@code {target}} → {@code {target, matches}}: how many registered players (for
   * {@code online}: registry entries) the target would reach now ({@code POST /admin/global-mail/preview}).
   */
  public static final String PREVIEW = "raven.mail.global.preview";

  /**
   * Request {@code {}} → {@code {resumed}}: finishes {@code online} sends whose node died or whose
   * walk failed (the {@code global-resume} job asks one mail node each interval).
   */
  public static final String RESUME_ONLINE = "raven.mail.global.resumeOnline";

  private GlobalAddresses() {
  }
}
