package io.ravenpost.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A blocking HTTP client for the admin API, as an operator's script would call it. */
public final class TestHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonObject json() {
      return body == null || body.isEmpty() ? new JsonObject() : new JsonObject(body);
    }

    public String errorCode() {
      return json().getJsonObject("error", new JsonObject()).getString("code");
    }
  }

  private TestHttp() {
  }

  public static Response get(int port, String path, String token) {
    return send(port, "GET", path, token, null, Map.of());
  }

  public static Response post(int port, String path, String token, JsonObject body) {
    return send(port, "POST", path, token, body, Map.of());
  }

  public static Response send(int port, String method, String path, String token, JsonObject body,
                              Map<String, String> headers) {
    return send("127.0.0.1", port, method, path, token, body, headers, Duration.ofSeconds(70));
  }

  /** A call to a node on another address, answered within {@code timeout} or failing with an exception. */
  public static Response send(String host, int port, String method, String path, String token, JsonObject body,
                              Map<String, String> headers, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }
}
