package io.ravenpost.node;

import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.QueueDepth;
import io.ravenpost.bench.BenchEcho;
import io.ravenpost.common.NodeContext;
import io.ravenpost.http.NodePlugin;
import io.ravenpost.mail.GlobalRoutes;
import io.ravenpost.mail.MailQueues;
import io.ravenpost.mail.MailRoutes;
import io.ravenpost.online.WatchRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Where features plug their HTTP routes and queue depths into the admin router. */
final class Features {
  private Features() {
  }

  static List<AdminRoutes> adminRoutes(NodeContext ctx) {
    List<AdminRoutes> routes = new ArrayList<>();
    routes.add(new MailRoutes(ctx));
    routes.add(new GlobalRoutes(ctx));
    routes.add(new WatchRoutes(ctx));
    if (BenchEcho.enabled(ctx.config())) {
      routes.add(new BenchEcho(ctx));
    }
    ServiceLoader.load(NodePlugin.class).forEach(p -> routes.addAll(p.routes(ctx)));
    return routes;
  }

  static List<QueueDepth> queueDepths(NodeContext ctx) {
    return MailQueues.depths(ctx);
  }
}
