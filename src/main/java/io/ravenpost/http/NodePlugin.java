package io.ravenpost.http;

import io.ravenpost.common.NodeInfo;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What an add-on jar brings to a node's admin router, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.ravenpost.http.NodePlugin}). The product ships none; the benchmark's
 * jar brings its echo, so the production jar carries no benchmark code.
 */
public interface NodePlugin {
  /**
   * This node's routes from the plugin; none when the plugin's own config switch is off.
   *
   * @param config the node's whole merged configuration, where an add-on finds its own section
   */
  List<AdminRoutes> routes(NodeInfo node, JsonObject config);
}
