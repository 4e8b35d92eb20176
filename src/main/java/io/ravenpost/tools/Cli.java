package io.ravenpost.tools;

import io.vertx.core.Future;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

/**
 * What the product's and the benchmark's command lines share: a wrong argument is one line naming
 * the option and exit code 2, a failure one line and exit code 1 (2 when it is a bad value in the
 * configuration), never a stack trace; value converters that say what they expected.
 */
public final class Cli {
  private Cli() {
  }

  /** {@code line} with the error handling above. */
  public static CommandLine configure(CommandLine line) {
    return line
        .setParameterExceptionHandler(Cli::badArguments)
        .setExecutionExceptionHandler(Cli::failed);
  }

  /** A bad value found after parsing (a range, a combination): handled as a parse error. */
  public static ParameterException badValue(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A parse error naming {@code option} unless {@code value} is within {@code [min, max]}. */
  public static void within(CommandSpec spec, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw badValue(spec, option + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  /** The result of {@code f}, waited for on this (non event-loop) thread; its own failure if it fails. */
  public static <T> T await(Future<T> f, long seconds) throws InterruptedException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s");
    }
  }

  private static int badArguments(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see --help)");
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failed(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
    line.getErr().println(line.getCommandSpec().qualifiedName() + ": "
        + (e.getMessage() != null ? e.getMessage() : e.toString()));
    // RavenConfig refuses a bad value in the configuration with IllegalArgumentException.
    return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
  }

  /** A whole number above zero (uids, seconds). */
  public static final class Positive implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long n;
      try {
        n = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n <= 0) {
        throw new TypeConversionException("'" + value + "' is not a whole number above 0");
      }
      return n;
    }
  }

  /** A BCP 47 language tag ({@code en}, {@code pt-BR}), in its canonical form. */
  public static final class LocaleTag implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return new Locale.Builder().setLanguageTag(value).build().toLanguageTag();
      } catch (IllformedLocaleException e) {
        throw new TypeConversionException("'" + value + "' is not a language tag such as en or pt-BR");
      }
    }
  }
}
