package io.ravenpost.mail.feed;

import io.ravenpost.api.feed.ChangeType;

/** A change to one mail of one mailbox, before the feed numbers it. */
public record Change(long uid, long mailId, ChangeType type) {
}
