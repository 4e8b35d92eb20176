package io.ravenpost.common;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** The one place where any failure becomes an {@link ErrorCode}. */
public final class Errors {
  private Errors() {
  }

  public static RavenException toRaven(Throwable t) {
    if (t instanceof RavenException r) {
      return r;
    }
    return new RavenException(codeOf(t), messageOf(t));
  }

  public static ErrorCode codeOf(Throwable t) {
    if (t instanceof RavenException r) {
      return r.code();
    }
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS, TIMEOUT -> ErrorCode.UNAVAILABLE;
        default -> ErrorCode.fromWire(re.failureCode());
      };
    }
    // Contention that outlived our own retries is still worth the caller's retry.
    if (isUnavailable(t) || isRetryableSql(t) || isConnectionLost(t)) {
      return ErrorCode.UNAVAILABLE;
    }
    return ErrorCode.INTERNAL;
  }

  /** Replies a failure so that the caller on any node gets the same code back. */
  public static void fail(Message<?> msg, Throwable t) {
    RavenException r = toRaven(t);
    msg.fail(r.code().wire(), r.getMessage());
  }

  /** True when MySQL reports a deadlock (1213) or a lock wait timeout (1205): safe to retry. */
  public static boolean isRetryableSql(Throwable t) {
    return t instanceof MySQLException e && (e.getErrorCode() == 1213 || e.getErrorCode() == 1205);
  }

  /**
   * True when the database connection died under the statement (closed, killed: 1927, server gone:
   * 2006/2013, shutdown: 1053). Whether a write committed is then unknown; a read can simply run again.
   */
  public static boolean isConnectionLost(Throwable t) {
    if (t instanceof ClosedConnectionException) {
      return true;
    }
    return t instanceof MySQLException e && (e.getErrorCode() == 1927 || e.getErrorCode() == 2006
        || e.getErrorCode() == 2013 || e.getErrorCode() == 1053);
  }

  /** True for a duplicate-key violation (1062). */
  public static boolean isDuplicateKey(Throwable t) {
    return t instanceof MySQLException e && e.getErrorCode() == 1062;
  }

  private static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof ClosedConnectionException
          || c instanceof TimeoutException || c instanceof ClosedChannelException) {
        return true;
      }
      String m = String.valueOf(c.getMessage()).toLowerCase();
      if (m.contains("connection") && (m.contains("closed") || m.contains("refused") || m.contains("reset"))) {
        return true;
      }
      // A pool or client closed under the request (a node going down): the caller retries elsewhere.
      if (m.contains("pool closed") || m.contains("client is closed") || m.contains("client closed")) {
        return true;
      }
      // vertx-redis-client's words for a Redis Cluster node it cannot reach (a master failing over).
      if (m.contains("failed obtaining connection") || m.contains("failed to connect to all nodes")) {
        return true;
      }
    }
    return false;
  }

  private static String messageOf(Throwable t) {
    if (t instanceof ReplyException re && re.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
      return "a cluster service did not answer (" + re.failureType() + ")";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
