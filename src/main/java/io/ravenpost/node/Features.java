package io.ravenpost.node;

import io.ravenpost.audit.AuditLog;
import io.ravenpost.grants.Grants;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.NodePlugin;
import io.ravenpost.mail.MailModule;
import io.ravenpost.online.OnlineRoutes;
import io.ravenpost.schedule.Schedules;
import io.ravenpost.stats.HistoryRoutes;
import io.ravenpost.watch.WatchRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Where features and add-ons plug their HTTP routes into the admin router. */
final class Features {
  private Features() {
  }

  static List<AdminRoutes> adminRoutes(NodeContext ctx, MailModule mail, Grants grants) {
    List<AdminRoutes> routes = new ArrayList<>(mail.routes());
    routes.add(new OnlineRoutes(new AuditLog(ctx.db())));
    routes.add(new WatchRoutes(ctx.nodeId(), ctx.config().watch()));
    routes.add(new Schedules(ctx.info(), ctx.stores(), ctx.config().schedule()).routes(mail::check));
    routes.add(new HistoryRoutes(ctx.stores(), ctx.config().stats()));
    routes.add(grants.routes());
    ServiceLoader.load(NodePlugin.class).forEach(p -> routes.addAll(p.routes(ctx.info(), ctx.config().raw())));
    return routes;
  }
}
