package io.ravenpost.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Runs before every log call (logback.xml installs it) and makes the thread's MDC say what the
 * current request's {@link LogContext} says, so the line about to be written carries uid, session,
 * node and request id, in text and in JSON alike. Never filters anything out.
 */
public final class MdcFilter extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Not logger.isEnabledFor: it runs the turbo filters again.
    if (level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    Map<String, String> now = LogContext.current();
    for (String key : LogContext.KEYS) {
      String v = now.get(key);
      if (v == null && LogContext.NODE.equals(key)) {
        v = LogContext.jvmNode();
      }
      if (!Objects.equals(v, MDC.get(key))) {
        if (v == null) {
          MDC.remove(key);
        } else {
          MDC.put(key, v);
        }
      }
    }
    return FilterReply.NEUTRAL;
  }
}
