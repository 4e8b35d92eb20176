package io.ravenpost.tools;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.feed.Epochs;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code feed new-epoch}: after the database was restored from a backup, seqs clients already saw
 * may be given again to other changes; a new epoch makes every client's next {@code mail.sync}
 * answer resync (reload), which is always right. Running nodes take it within 10 s.
 */
@Command(name = "feed", description = "The mailbox change feed, in the configured MySQL (migrated first).")
public final class FeedCommand {
  @Spec
  private CommandSpec spec;

  @Command(name = "new-epoch", description = {"Gives every shard's change feed a new epoch, so every client "
      + "reloads its mailbox at its next mail.sync.", "Run it after restoring the database from a backup."})
  int newEpoch() throws InterruptedException {
    RavenConfig cfg = RavenConfig.load(null);
    Vertx vertx = Vertx.vertx();
    Db db = Db.connect(vertx, cfg.mysql(), new SimpleMeterRegistry());
    try {
      Cli.await(db.migrate().compose(v -> Epochs.renew(db)), 60);
      PrintWriter w = spec.commandLine().getOut();
      w.println("new feed epoch on " + db.all().size() + " shard(s): every client resyncs at its next mail.sync "
          + "(running nodes take it within 10 s)");
      return 0;
    } finally {
      db.close().eventually(vertx::close);
    }
  }
}
