package io.ravenpost.node;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.NodeRole;
import io.ravenpost.gate.GateVerticle;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What "ready" means for each role of a node ({@code /health/ready}): the dependencies that role
 * cannot work without answer, and the gate takes logins (not stopping, its lease held).
 */
final class Readiness {
  private Readiness() {
  }

  static Map<String, Supplier<Future<Void>>> of(NodeContext ctx, GateVerticle gate) {
    Supplier<Future<Void>> mysql = () -> ctx.db().ping();
    Supplier<Future<Void>> redis = () -> ctx.redis().ping(List.of()).mapEmpty();
    Supplier<Future<Void>> cluster = () -> ctx.membership().active() ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.UNAVAILABLE.error("this node left its cluster"));
    Map<String, Supplier<Future<Void>>> out = new LinkedHashMap<>();
    for (NodeRole role : NodeRole.values()) {
      if (!ctx.config().node().has(role)) {
        continue;
      }
      Supplier<Future<Void>> check = switch (role) {
        case GATE -> all(cluster, redis, gate == null ? cluster : gate::readiness);
        case ONLINE -> all(cluster, redis);
        case MAIL, SCHEDULER -> all(cluster, mysql, redis);
        case ADMIN -> all(cluster, mysql);
      };
      out.put(role.wire(), check);
    }
    return out;
  }

  @SafeVarargs
  private static Supplier<Future<Void>> all(Supplier<Future<Void>>... checks) {
    return () -> {
      List<Future<Void>> each = Arrays.stream(checks).map(Supplier::get).toList();
      return Future.all(each).mapEmpty();
    };
  }
}
