package dev.jnfs.examples;

import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns option values into settings, refusing what the server would refuse. picocli puts the
 * option's name before each message ({@code Invalid value for option '--port': ...}), and the
 * {@linkplain ConfigFile configuration file} the key and its line.
 */
final class OptionConverters {
  private static final int MAX_LOG_FILES = 21;

  private OptionConverters() {}

  /** An on/off setting; the field stays null while neither was said. */
  enum Switch {
    ON,
    OFF;

    boolean on() {
      return this == ON;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One {@code --log-level} value.
   *
   * @param logger the logger and its children, or null for every logger
   * @param level error, warn, info, debug or trace
   */
  record LogLevel(String logger, String level) {
    @Override
    public String toString() {
      return logger == null ? level : logger + "=" + level;
    }
  }

  private static int whole(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
  }

  /** A TCP/UDP port, 0 for one the system picks. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port;
      try {
        port = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a port number");
      }
      if (port < 0 || port > 0xFFFF) {
        throw new TypeConversionException(port + " is not in 0..65535");
      }
      return port;
    }
  }

  /** A count that may be 0. */
  static final class AtLeastZero implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = whole(value);
      if (n < 0) {
        throw new TypeConversionException(n + " is negative");
      }
      return n;
    }
  }

  /** A count of at least one. */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = whole(value);
      if (n < 1) {
        throw new TypeConversionException(n + " is not at least 1");
      }
      return n;
    }
  }

  /** How many log files are kept: the current one and 1 to 20 older ones. */
  static final class LogFiles implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = whole(value);
      if (n < 2 || n > MAX_LOG_FILES) {
        throw new TypeConversionException(n + " is not in 2.." + MAX_LOG_FILES);
      }
      return n;
    }
  }

  /** A positive byte count, with an optional k (KiB) or m (MiB) suffix. */
  static final class Size implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      long unit = 1;
      if (v.endsWith("k")) {
        unit = 1024;
      } else if (v.endsWith("m")) {
        unit = 1024 * 1024;
      }
      String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
      long bytes;
      try {
        bytes = Long.parseLong(digits) * unit;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a size such as 65536, 64k or 1m");
      }
      if (bytes < 1 || bytes > Integer.MAX_VALUE) {
        throw new TypeConversionException("'" + value + "' is not in 1.." + Integer.MAX_VALUE);
      }
      return (int) bytes;
    }
  }

  /** {@code on}/{@code off} (also true/false, yes/no). */
  static final class OnOff implements ITypeConverter<Switch> {
    @Override
    public Switch convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "on", "true", "yes" -> Switch.ON;
        case "off", "false", "no" -> Switch.OFF;
        default -> throw new TypeConversionException("'" + value + "' is neither on nor off");
      };
    }
  }

  /** A delegation policy: {@code off}, {@code read} or {@code readwrite}. */
  static final class DelegationPolicy implements ITypeConverter<NfsServer.Delegations> {
    @Override
    public NfsServer.Delegations convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "off" -> NfsServer.Delegations.OFF;
        case "read" -> NfsServer.Delegations.READ;
        case "readwrite" -> NfsServer.Delegations.READ_WRITE;
        default -> throw new TypeConversionException("'" + value + "' is not off, read or readwrite");
      };
    }
  }

  /** An NFS major version the server has: 3 or 4. */
  static final class Version implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return switch (value.trim()) {
        case "3" -> 3;
        case "4" -> 4;
        default -> throw new TypeConversionException("'" + value + "' is not an NFS version (3, 4)");
      };
    }
  }

  /** A client range of {@link ClientRange#parse}. */
  static final class Clients implements ITypeConverter<ClientRange> {
    @Override
    public ClientRange convert(String value) {
      try {
        return ClientRange.parse(value.trim());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** exports(5) option words, checked by applying them to the default options. */
  static final class Words implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        ExportOptions.DEFAULT.with(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return value;
    }
  }

  /** {@code LEVEL} or {@code LOGGER=LEVEL}. */
  static final class Level implements ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      int eq = value.indexOf('=');
      String logger = eq < 0 ? null : value.substring(0, eq).trim();
      String level = (eq < 0 ? value : value.substring(eq + 1)).trim().toLowerCase(Locale.ROOT);
      if (logger != null && logger.isEmpty()) {
        throw new TypeConversionException("'" + value + "' names no logger before =");
      }
      return switch (level) {
        case "error", "warn", "info", "debug", "trace", "off" -> new LogLevel(logger, level);
        default -> throw new TypeConversionException(
            "'" + level + "' is not a level (error, warn, info, debug, trace, off)");
      };
    }
  }
}
