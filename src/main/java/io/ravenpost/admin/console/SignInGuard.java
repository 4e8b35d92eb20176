package io.ravenpost.admin.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.admin.operators.OperatorStore.Operator;
import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Errors;
import io.ravenpost.common.FixedWindow;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in attempts of one name are limited to {@code admin.signInFailures} per 15 minutes. Each
 * attempt is counted before its password is checked, atomically in Redis, under the name as the
 * database compares it: attempts sent all at once are counted one by one, every spelling of a name
 * shares one count, and attempts past the limit are refused without being checked. A sign-in that
 * succeeds clears the count. Failures and lockouts go to the audit trail (coalesced per source and
 * minute). Without Redis the limit is not enforced: an incident is when operators need the console
 * most, and the audit trail still records every failure.
 */
final class SignInGuard {
  private static final Logger LOG = LoggerFactory.getLogger(SignInGuard.class);
  private static final long WINDOW_MS = 15 * 60_000;

  private final RedisAPI redis;
  private final String keyPrefix;
  private final int limit;
  private final OperatorStore operators;
  private final AuditLog audit;
  private final MeterRegistry metrics;

  SignInGuard(RedisAPI redis, String keyPrefix, int limit, OperatorStore operators, AuditLog audit,
              MeterRegistry metrics) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.limit = limit;
    this.operators = operators;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** The operator, checked if this attempt is within the limit; {@code who} has no actor yet. */
  Future<Operator> signIn(String name, String password, AuditContext who) {
    String folded = OperatorStore.fold(name);
    String key = keyPrefix + folded;
    return count(key)
        .compose(n -> n > limit ? locked(folded, who) : check(folded, password, who))
        .compose(op -> clear(key).map(op))
        .onSuccess(op -> {
          outcome("ok");
          audit.recordAlone(as(who, op.name()), AuditContext.SIGN_IN, "operator " + op.name(), AuditLog.OK);
        });
  }

  private Future<Operator> check(String folded, String password, AuditContext who) {
    return operators.verify(folded, password).recover(t -> {
      if (Errors.codeOf(t) == ErrorCode.AUTH_INVALID) {
        outcome("failed");
        audit.refusal(as(who, folded), AuditContext.SIGN_IN_FAILED, "operator " + folded, ErrorCode.AUTH_INVALID.name());
      }
      return Future.failedFuture(t);
    });
  }

  private Future<Operator> locked(String folded, AuditContext who) {
    outcome("locked");
    audit.refusal(as(who, folded), AuditContext.SIGN_IN_LOCKED, "operator " + folded, ErrorCode.RATE_LIMITED.name());
    return Future.failedFuture(ErrorCode.RATE_LIMITED.error("too many sign-in attempts for " + folded
        + "; wait 15 minutes"));
  }

  private Future<Long> count(String key) {
    return FixedWindow.hit(redis, key, WINDOW_MS).recover(t -> {
      LOG.warn("sign-in attempts not counted ({}): the lockout is not enforced while Redis is unreachable",
          t.getMessage());
      return Future.succeededFuture(0L);
    });
  }

  private Future<Void> clear(String key) {
    return redis.del(List.of(key)).<Void>mapEmpty().recover(t -> Future.succeededFuture());
  }

  private void outcome(String result) {
    Counter.builder("raven_console_sign_ins_total").tag("result", result)
        .description("Console sign-in attempts: ok, failed (wrong name or password), locked (refused unchecked)")
        .register(metrics).increment();
  }

  private static AuditContext as(AuditContext who, String actor) {
    return new AuditContext(actor, who.requestId(), who.route(), who.source());
  }
}
