package io.jsplice.cli.procfs;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a process started, as an interval of wall-clock time. Linux records a process's start only
 * in clock ticks since boot ({@code /proc/PID/stat}, field 22); the boot itself is on the wall
 * clock in whole seconds ({@code btime} in {@code /proc/stat}, which is all {@link
 * ProcessHandle.Info#startInstant()} uses, so the JDK's start instant may be up to a second early)
 * and, to 10 ms, as the wall clock now minus the time since boot ({@code /proc/uptime}). Both
 * bounds are used: the start is known to a few tens of milliseconds.
 *
 * <p>Assumes the wall clock was not stepped between the start and now (the boot time is derived
 * from the current wall clock); slewing by NTP moves it by milliseconds.
 *
 * @param earliest no later than the real start
 * @param latest no earlier than the real start
 */
public record ProcessStart(Instant earliest, Instant latest) {
  /** The clock tick when the auxiliary vector does not say (USER_HZ on every Linux port). */
  private static final long DEFAULT_TICKS_PER_SECOND = 100;

  /** {@code AT_CLKTCK} in the ELF auxiliary vector: the kernel's USER_HZ. */
  private static final long AT_CLKTCK = 17;

  /** Field 22 of {@code /proc/PID/stat} is the 20th after the command name's parenthesis. */
  private static final int START_TIME_AFTER_COMMAND = 19;

  /** {@code /proc/uptime} has two decimals, truncated. */
  private static final Duration UPTIME_RESOLUTION = Duration.ofMillis(10);

  public ProcessStart {
    if (latest.isBefore(earliest)) {
      throw new IllegalArgumentException("latest " + latest + " before earliest " + earliest);
    }
  }

  /**
   * The start of {@code pid} from {@code /proc}; empty when the process is gone or there is no
   * {@code /proc} (then {@link #fromProcessHandle} is the fallback).
   */
  public static Optional<ProcessStart> of(long pid) {
    return of(Path.of("/proc"), pid, ticksPerSecond(), Clock.systemUTC());
  }

  /** The same, from a {@code /proc} tree at {@code proc} and a wall clock; for tests. */
  static Optional<ProcessStart> of(Path proc, long pid, long ticksPerSecond, Clock wallClock) {
    try {
      long ticks =
          startTicks(
              Files.readString(
                  proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1));
      ProcessStart boot = boot(proc, wallClock);
      // The start tick is truncated: the real start lies in [ticks, ticks + 1) ticks after boot.
      return Optional.of(
          new ProcessStart(
              boot.earliest().plus(ticksToDuration(ticks, ticksPerSecond)),
              boot.latest().plus(ticksToDuration(ticks + 1, ticksPerSecond))));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** When the machine booted, on the wall clock, as an interval. */
  static ProcessStart boot(Path proc, Clock wallClock) throws IOException {
    // btime is truncated to the second: the real boot lies in [btime, btime + 1 s).
    Instant btime =
        Instant.ofEpochSecond(
            bootTime(Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1)));
    ProcessStart bySeconds = new ProcessStart(btime, btime.plusSeconds(1));
    try {
      Instant before = wallClock.instant();
      Duration uptime = uptime(Files.readString(proc.resolve("uptime"), StandardCharsets.US_ASCII));
      Instant after = wallClock.instant();
      // Read at some instant in [before, after], when the time since boot was in
      // [uptime, uptime + resolution).
      ProcessStart byUptime =
          new ProcessStart(before.minus(uptime).minus(UPTIME_RESOLUTION), after.minus(uptime));
      Instant earliest = max(bySeconds.earliest(), byUptime.earliest());
      Instant latest = min(bySeconds.latest(), byUptime.latest());
      if (!latest.isBefore(earliest)) {
        return new ProcessStart(earliest, latest);
      }
      // The two disagree (the wall clock was stepped): claim no more than both together.
      return new ProcessStart(
          min(bySeconds.earliest(), byUptime.earliest()),
          max(bySeconds.latest(), byUptime.latest()));
    } catch (IOException | RuntimeException noUptime) {
      return bySeconds;
    }
  }

  /**
   * What the JDK says, widened by the second it cannot know: on Linux its start instant is the
   * earliest possible start; elsewhere this is a conservative guess.
   */
  public static Optional<ProcessStart> fromProcessHandle(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant())
        .map(start -> new ProcessStart(start, start.plusSeconds(1).plusMillis(10)));
  }

  /** How long the start is uncertain. */
  public Duration uncertainty() {
    return Duration.between(earliest, latest);
  }

  static long bootTime(String procStat) {
    for (String line : procStat.split("\n")) {
      if (line.startsWith("btime ")) {
        return Long.parseLong(line.substring("btime ".length()).strip());
      }
    }
    throw new IllegalArgumentException("no btime line in /proc/stat");
  }

  static Duration uptime(String procUptime) {
    BigDecimal seconds = new BigDecimal(procUptime.strip().split("\\s+")[0]);
    return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
  }

  static long startTicks(String pidStat) {
    // The command name is in parentheses and may itself contain spaces and parentheses.
    int close = pidStat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("no command name in " + pidStat);
    }
    String[] fields = pidStat.substring(close + 1).strip().split(" +");
    return Long.parseLong(fields[START_TIME_AFTER_COMMAND]);
  }

  private static Duration ticksToDuration(long ticks, long ticksPerSecond) {
    long seconds = ticks / ticksPerSecond;
    long nanos = (ticks % ticksPerSecond) * 1_000_000_000L / ticksPerSecond;
    return Duration.ofSeconds(seconds, nanos);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** The kernel's USER_HZ, from this process's auxiliary vector ({@code AT_CLKTCK}). */
  static long ticksPerSecond() {
    try {
      ByteBuffer auxv =
          ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv")))
              .order(ByteOrder.nativeOrder());
      boolean wide = !"32".equals(System.getProperty("sun.arch.data.model"));
      while (auxv.remaining() >= (wide ? 16 : 8)) {
        long type = wide ? auxv.getLong() : Integer.toUnsignedLong(auxv.getInt());
        long value = wide ? auxv.getLong() : Integer.toUnsignedLong(auxv.getInt());
        if (type == AT_CLKTCK && value > 0 && value <= 1_000_000) {
          return value;
        }
        if (type == 0) {
          break;
        }
      }
    } catch (IOException | RuntimeException noAuxv) {
      // not Linux, or not readable: the value every Linux port uses
    }
    return DEFAULT_TICKS_PER_SECOND;
  }
}
