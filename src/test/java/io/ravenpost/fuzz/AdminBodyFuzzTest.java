package io.ravenpost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Damaged bodies on every admin route that takes one (docs/openapi.yaml), with a valid admin
 * token: each is answered below 500, and a refusal is a JSON error with a code (never INTERNAL);
 * the node stays live and keeps taking a real send, and its heap returns within 64 MiB.
 */
class AdminBodyFuzzTest {
  private static final int INPUTS = FuzzSettings.count(4000);
  private static final long HEAP_SLACK = 64L << 20;
  private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).filter(c -> c != ErrorCode.INTERNAL)
      .map(Enum::name).collect(Collectors.toSet());
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Idempotency keys live 24 h in MySQL: a second run of the same seed must not meet the first run's. */
  private static final String RUN = Long.toHexString(System.nanoTime());

  /** A route with a body: method, path (may take a fuzzed segment) and a well-formed body to damage. */
  private record Route(String method, Function<Random, String> path, Function<Random, JsonObject> body, int weight) {
  }

  private static final List<Route> ROUTES = List.of(
      new Route("POST", r -> "/admin/mail", BodyInputs::mail, 30),
      new Route("POST", r -> "/internal/mail", BodyInputs::mail, 25),
      new Route("POST", r -> "/admin/global-mail/preview", BodyInputs::preview, 25),
      new Route("POST", r -> "/admin/operators", BodyInputs::operator, 6),
      new Route("PUT", r -> "/admin/operators/" + segment(r), BodyInputs::roleBody, 6),
      new Route("POST", r -> "/admin/users/" + segment(r) + "/kick", BodyInputs::preview, 4),
      // Sign-in and password resets hash with Argon2 (19 MiB, tens of ms): fewer of them.
      new Route("POST", r -> "/console/session", BodyInputs::signIn, 2),
      new Route("POST", r -> "/admin/operators/" + segment(r) + "/password", BodyInputs::roleBody, 2));

  @Test
  void everyBodyIsAnsweredBelow500WithACodeAndTheNodeKeepsServing() throws Exception {
    try (TestCluster cluster = TestCluster.start(1)) {
      RavenNode node = cluster.node(0);
      long heapBefore = Heap.usedAfterGc(node.adminPort());
      String admin = TestTokens.admin();
      Random r = new Random(FuzzSettings.SEED);
      Tally tally = new Tally();
      List<String> created = new ArrayList<>();
      int weights = ROUTES.stream().mapToInt(Route::weight).sum();
      for (int i = 0; i < INPUTS; i++) {
        Route route = pick(r, weights);
        String path = route.path().apply(r);
        byte[] body = r.nextInt(1000) == 0 ? new byte[(1 << 20) + 1] : BodyInputs.damage(r, route.body().apply(r));
        HttpResponse<String> res = send(node.adminPort(), route.method(), path, admin, body, r);
        tally.input();
        tally.outcome(Integer.toString(res.statusCode()));
        check(tally, route.method() + " " + path + " " + HexFormat.of().formatHex(body, 0, Math.min(200, body.length)), res);
        if (res.statusCode() == 201 && path.equals("/admin/operators")) {
          created.add(new JsonObject(res.body()).getString("name"));
        }
      }
      System.out.println("AdminBodyFuzzTest: " + tally);
      assertThat(tally.failures()).as(tally.toString()).isZero();

      assertThat(TestHttp.get(node.adminPort(), "/health/live", null).status()).isEqualTo(200);
      JsonObject send = new JsonObject().put("target", new JsonObject().put("type", "users")
          .put("uids", new JsonArray().add(8_100_000_000_000_000_000L))).put("title", "after fuzz").put("body", "b");
      assertThat(TestHttp.post(node.adminPort(), "/admin/mail", admin, send).status()).isEqualTo(201);
      for (String name : created) {
        TestHttp.send(node.adminPort(), "DELETE", "/admin/operators/" + name, admin, null, Map.of());
      }
      Heap.awaitWithin(node.adminPort(), heapBefore, HEAP_SLACK);
    }
  }

  private static Route pick(Random r, int weights) {
    int w = r.nextInt(weights);
    for (Route route : ROUTES) {
      w -= route.weight();
      if (w < 0) {
        return route;
      }
    }
    throw new IllegalStateException();
  }

  private static void check(Tally tally, String input, HttpResponse<String> res) {
    int status = res.statusCode();
    if (status >= 500) {
      tally.fail(input + " -> " + status + " " + res.body());
    } else if (status >= 400) {
      String code = null;
      try {
        code = new JsonObject(res.body()).getJsonObject("error").getString("code");
      } catch (RuntimeException notJson) {
        // reported below
      }
      if (code == null || !CODES.contains(code)) {
        tally.fail(input + " -> " + status + " without an error code: " + res.body());
      }
    }
  }

  /** A path segment: a plausible uid or name, or something that is neither (URL-encoded). */
  private static String segment(Random r) {
    String s = switch (r.nextInt(4)) {
      case 0 -> Long.toString(r.nextLong());
      case 1 -> "fz" + Integer.toHexString(r.nextInt(16));
      default -> FrameInputs.string(r);
    };
    return s.isEmpty() ? "x" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpResponse<String> send(int port, String method, String path, String token, byte[] body, Random r)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", r.nextInt(10) == 0 ? "text/plain" : "application/json");
    if (r.nextBoolean()) {
      b.header("Idempotency-Key", r.nextInt(5) == 0 ? FrameInputs.string(r).replaceAll("[^ -~]", "?")
          : "fz-" + RUN + "-" + Long.toHexString(r.nextLong()));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
