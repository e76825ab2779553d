package io.jsplice.agent.log;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The agent's log: timestamped lines in a file of its own, or on stderr when asked ({@code
 * log=stderr}). Never stdout, never a logging library: the agent is a guest in the application's
 * process and must not show up in its output or its logging configuration.
 *
 * <p>A line reads {@code 2026-01-31T12:00:00.123Z WARN pid 4711 [jsplice-control] message}. The pid
 * is there because JVMs of one service share one file.
 *
 * <p>Thread-safe. Never throws: a write that fails is lost, because the agent must not fail the
 * application over its own log.
 */
public final class AgentLog {
  private final PrintWriter out; // null: discards everything
  private final String target;
  private final long pid = ThisProcess.pid();

  private AgentLog(PrintWriter out, String target) {
    this.out = out;
    this.target = target;
  }

  /**
   * Appends to {@code file}, creating it (mode 0600) and its missing parent directories (mode
   * 0700). A symbolic link at {@code file} is refused.
   *
   * @throws IOException if the file cannot be created or opened
   */
  public static AgentLog toFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(
          parent,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException appendToIt) {
      // Appending to an existing log is the normal case; the open below refuses a link.
    }
    PrintWriter writer =
        new PrintWriter(
            Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS));
    return new AgentLog(writer, file.toString());
  }

  /** Writes to the process's stderr; only for {@code log=stderr}. */
  public static AgentLog toStderr() {
    return new AgentLog(new PrintWriter(System.err), "stderr");
  }

  /** A log that drops everything, for when no log could be opened. {@code why} says why. */
  public static AgentLog discarding(String why) {
    return new AgentLog(null, "none (" + why + ")");
  }

  /** Where the lines go: a file path, {@code stderr}, or {@code none (why)}. */
  public String target() {
    return target;
  }

  public void info(String message) {
    write("INFO ", message, null);
  }

  public void warn(String message) {
    write("WARN ", message, null);
  }

  /** Logs {@code message} and, if {@code cause} is not null, its stack trace. */
  public void error(String message, Throwable cause) {
    write("ERROR", message, cause);
  }

  private void write(String level, String message, Throwable cause) {
    if (out == null) {
      return;
    }
    String line =
        timestamp(System.currentTimeMillis())
            + " "
            + level
            + " pid "
            + pid
            + " ["
            + Thread.currentThread().getName()
            + "] "
            + message;
    synchronized (this) {
      out.println(line);
      if (cause != null) {
        cause.printStackTrace(out);
      }
      out.flush();
    }
  }

  /**
   * {@code millis} since the epoch as {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} (UTC), written by hand:
   * the first line is logged in {@code premain}, where {@code java.time}'s formatter would load and
   * initialize about a hundred classes on the JVM's main thread, interpreted.
   */
  static String timestamp(long millis) {
    long days = Math.floorDiv(millis, 86_400_000L);
    long ofDay = Math.floorMod(millis, 86_400_000L);
    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shifted = (5 * dayOfYear + 2) / 153; // months since March
    long day = dayOfYear - (153 * shifted + 2) / 5 + 1;
    long month = shifted < 10 ? shifted + 3 : shifted - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    StringBuilder out = new StringBuilder(24);
    pad(out, year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, ofDay / 3_600_000, 2).append(':');
    pad(out, ofDay / 60_000 % 60, 2).append(':');
    pad(out, ofDay / 1000 % 60, 2).append('.');
    return pad(out, ofDay % 1000, 3).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder out, long value, int digits) {
    String text = Long.toString(value);
    for (int i = text.length(); i < digits; i++) {
      out.append('0');
    }
    return out.append(text);
  }
}
