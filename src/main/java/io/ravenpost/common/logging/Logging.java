package io.ravenpost.common.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.OutputStreamAppender;
import io.ravenpost.common.config.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code log.format} switch. Text is logback.xml's pattern; JSON swaps the console appender's
 * encoder for Logback's own {@link JsonEncoder}: one object per line with the timestamp, level,
 * thread, logger, message, the MDC ({@code uid}, {@code session}, {@code node}, {@code requestId},
 * {@code actor}) and key-value pairs (the access log's fields).
 */
public final class Logging {
  private static final String APPENDER = "OUT";

  private Logging() {
  }

  /** The JSON lines encoder: the formatted message, MDC and key-value pairs; no sequence numbers or raw arguments. */
  public static JsonEncoder jsonEncoder(Context context) {
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithArguments(false);
    json.setWithMessage(false);
    json.setWithFormattedMessage(true);
    json.start();
    return json;
  }

  public static void apply(LogConfig cfg) {
    if (cfg.format() != LogConfig.Format.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
      return;
    }
    if (!(lc.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof OutputStreamAppender<ILoggingEvent> out)
        || out.getEncoder() instanceof JsonEncoder) {
      return;
    }
    JsonEncoder json = jsonEncoder(lc);
    out.stop();
    out.setEncoder(json);
    out.start();
  }
}
