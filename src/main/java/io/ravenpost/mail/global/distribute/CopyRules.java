package io.ravenpost.mail.global.distribute;

import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.feed.Change;
import io.ravenpost.mail.feed.Feed;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every transaction that writes copies of global mail does after inserting them: the
 * mailbox's capacity rule (the mail-server design's, as for personal mail: the oldest mail that came
 * before these copies and holds no unclaimed attachments goes), then the feed entries of the
 * copies and of what capacity took, last in the transaction.
 */
public final class CopyRules {
  /**
   * The mailbox capacity rule: {@code newIds} maps each uid to the first id it just got; answers
   * the mails it removed.
   */
  public interface CapacityRule {
    Future<List<Change>> apply(SqlConnection conn, Map<Long, Long> newIds, long now);
  }

  /** What the rules did: the mailboxes that lost mail (their counts are recounted) and every feed entry. */
  public record Settled(Set<Long> recount, List<FeedEntry> feed) {
    public static final Settled NONE = new Settled(Set.of(), List.of());
  }

  private final CapacityRule capacity;
  private final Feed feed;

  public CopyRules(CapacityRule capacity, Feed feed) {
    this.capacity = capacity;
    this.feed = feed;
  }

  public Future<Settled> apply(SqlConnection conn, List<Mail> copies, long now) {
    if (copies.isEmpty()) {
      return Future.succeededFuture(Settled.NONE);
    }
    Map<Long, Long> firstCopy = new HashMap<>();
    copies.forEach(c -> firstCopy.merge(c.uid(), c.id(), Math::min));
    return capacity.apply(conn, firstCopy, now).compose(evicted -> feed.added(conn, copies, now)
        .compose(added -> {
          List<Change> changes = new ArrayList<>(added);
          changes.addAll(evicted);
          return feed.append(conn, changes);
        })
        .map(entries -> {
          Set<Long> recount = new HashSet<>();
          evicted.forEach(c -> recount.add(c.uid()));
          return new Settled(recount, entries);
        }));
  }
}
