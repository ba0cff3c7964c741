package dev.jnfs.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import dev.jnfs.examples.OptionConverters.LogLevel;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback, the standalone server's logging framework (the library logs through the
 * SLF4J API only), from the settings alone, without an XML file: lines on standard error, or
 * in a file rolled over by size ({@code FILE}, {@code FILE.1} the newest older one, up to
 * {@code --log-max-files} files in all), at {@code --log-level} globally and per logger.
 */
final class ServerLogging {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";
  static final int DEFAULT_MAX_SIZE_MB = 10;
  static final int DEFAULT_MAX_FILES = 5;

  private ServerLogging() {}

  /**
   * Replaces the logging configuration with the one the settings describe. Does nothing when
   * Logback is not SLF4J's provider (an embedding application's own choice).
   *
   * @param options the settings
   */
  static void configure(ServerOptions options) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    OutputStreamAppender<ILoggingEvent> appender = options.logFile == null
        ? console(context)
        : rollingFile(context, options.logFile,
            (long) (options.logMaxSizeMb == null ? DEFAULT_MAX_SIZE_MB : options.logMaxSizeMb)
                * 1024 * 1024,
            options.logMaxFiles == null ? DEFAULT_MAX_FILES : options.logMaxFiles);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    for (LogLevel level : options.logLevels == null ? List.<LogLevel>of() : options.logLevels) {
      Logger logger = level.logger() == null ? root : context.getLogger(level.logger());
      logger.setLevel(Level.toLevel(level.level()));
    }
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(context));
    console.start();
    return console;
  }

  /**
   * @param file the current log file
   * @param maxBytes the size at which it is rolled over
   * @param files how many files are kept, the current one included (2 to 21)
   */
  static OutputStreamAppender<ILoggingEvent> rollingFile(
      LoggerContext context, Path file, long maxBytes, int files) {
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName("file");
    appender.setFile(file.toString());
    appender.setEncoder(encoder(context));

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(files - 1);
    rolling.start();

    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(maxBytes));
    // the size is checked at every line: a file never grows far past its limit
    trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
    trigger.start();

    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.start();
    return appender;
  }
}
