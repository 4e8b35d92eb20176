package io.ravenpost.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin HTTP API of a node on 127.0.0.1, as a game master tool would call it. */
public final class AdminClient {
  private static final long TIMEOUT_MS = 30_000;

  private final HttpClient http;
  private final String adminToken;

  private static final Pattern APP_DUR = Pattern.compile("app;dur=([0-9.]+)");

  public AdminClient(Vertx vertx, String adminToken) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    this.adminToken = adminToken;
  }

  /**
   * One HTTP answer: status, body, and the node's own time on it in ms (its {@code Server-Timing:
   * app;dur=} header; -1 when absent).
   */
  public record Answer(int status, Buffer body, double serverMs) {
    public Answer(int status, Buffer body) {
      this(status, body, -1);
    }

    public JsonObject json() {
      try {
        return body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (RuntimeException e) {
        return new JsonObject().put("raw", body.toString());
      }
    }

    /** The error code of an error answer, or the status when there is none. */
    public String errorCode() {
      JsonObject e = json().getJsonObject("error");
      return e == null ? "HTTP " + status : e.getString("code", "HTTP " + status);
    }
  }

  Future<Answer> call(HttpMethod method, int port, String path, JsonObject body) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .setTimeout(TIMEOUT_MS).putHeader("Authorization", "Bearer " + adminToken);
    if (body != null) {
      o.putHeader("content-type", "application/json");
    }
    return http.request(o)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b, serverMs(resp.getHeader(
            "Server-Timing")))));
  }

  private static double serverMs(String timing) {
    Matcher m = timing == null ? null : APP_DUR.matcher(timing);
    return m != null && m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /** {@code POST /admin/mail}: 201 with mailIds or globalMailId when the mail feature is there. */
  public Future<Answer> sendMail(int port, JsonObject mail) {
    return call(HttpMethod.POST, port, "/admin/mail", mail);
  }

  public Future<Answer> get(int port, String path) {
    return call(HttpMethod.GET, port, path, null);
  }

  /** The node id a node reports on {@code /health}. */
  public Future<String> nodeId(int port) {
    return get(port, "/health").map(a -> a.json().getString("node"));
  }

  /**
   * Sum of a Prometheus gauge or counter over its series, e.g.
   * {@code jvm_memory_used_bytes{area="heap"}}; NaN when absent.
   */
  public Future<Double> metric(int port, String name, String labelFilter) {
    return get(port, "/metrics").map(a -> {
      double sum = 0;
      boolean seen = false;
      for (String line : a.body().toString().split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          if (labelFilter != null && !line.contains(labelFilter)) {
            continue;
          }
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          seen = true;
        }
      }
      return seen ? sum : Double.NaN;
    });
  }

  /** True when a mail route answered "not here (yet)": the feature has not landed. */
  public static boolean featureMissing(Answer a) {
    return a.status() == 404 || a.status() == 400;
  }

  public Future<Void> close() {
    return http.close();
  }
}
