package io.jsplice.cli.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStartTest {
  private static final Instant BTIME = Instant.ofEpochSecond(1700000000);

  @Test
  void startIsTheBootPlusTheStartTick_bootToTheUptimesTenMilliseconds(@TempDir Path proc)
      throws IOException {
    fakeProc(proc, "1000.50 10.00");
    // 40 ms after btime's second began, 1000.50 s ago.
    Clock clock = Clock.fixed(BTIME.plusMillis(1000_550), ZoneOffset.UTC);

    ProcessStart start = ProcessStart.of(proc, 4242, 100, clock).orElseThrow();

    // 12345 ticks at 100 Hz: 123.45 s after a boot in [btime + 40 ms, btime + 50 ms].
    assertThat(start.earliest()).isEqualTo(BTIME.plusMillis(123_450 + 40));
    assertThat(start.latest()).isEqualTo(BTIME.plusMillis(123_460 + 50));
  }

  @Test
  void noUptime_theBootSecondAlone(@TempDir Path proc) throws IOException {
    fakeProc(proc, null);

    ProcessStart start = ProcessStart.of(proc, 4242, 100, Clock.systemUTC()).orElseThrow();

    assertThat(start.earliest()).isEqualTo(BTIME.plusMillis(123_450));
    assertThat(start.latest()).isEqualTo(BTIME.plusMillis(123_460).plusSeconds(1));
  }

  @Test
  void wallClockSteppedSinceBoot_bothBoundsTogether(@TempDir Path proc) throws IOException {
    fakeProc(proc, "1000.50 10.00");
    // The uptime puts the boot 5 s after btime: they disagree; neither is trusted alone.
    Clock clock = Clock.fixed(BTIME.plusMillis(1005_500), ZoneOffset.UTC);

    ProcessStart start = ProcessStart.of(proc, 4242, 100, clock).orElseThrow();

    assertThat(start.earliest()).isEqualTo(BTIME.plusMillis(123_450));
    assertThat(start.latest()).isEqualTo(BTIME.plusMillis(123_460 + 5000));
  }

  @Test
  void noSuchProcess_nothingKnown(@TempDir Path proc) throws IOException {
    Files.writeString(proc.resolve("stat"), "btime 1700000000\n");
    assertThat(ProcessStart.of(proc, 4242, 100, Clock.systemUTC())).isEmpty();
  }

  @Test
  void thisJvm_itsStartLiesInTheInterval() {
    // Both sides on today's wall clock: the interval is the wall clock now minus the time since
    // boot, so the VM's start is taken as the wall clock now minus the VM's (monotonic) uptime,
    // never as the wall clock of back then. A wall clock stepped since the VM started (NTP, a
    // virtual machine resumed from a snapshot: 3 s once in CI) moves both alike.
    Instant now = Instant.now();
    long vmUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    ProcessStart start = ProcessStart.of(ProcessHandle.current().pid()).orElseThrow();
    Instant vmStarted = now.minusMillis(vmUptimeMillis);
    Instant jdk = ProcessHandle.current().info().startInstant().orElseThrow();

    // The JDK's start instant (btime in whole seconds) is no later than the earliest start.
    assertThat(jdk).isBeforeOrEqualTo(start.earliest().plusMillis(1));
    // The process was created before the VM measured its uptime from; the VM's initialization
    // before that takes well under the margin, which only guards against a computation gone wrong
    // (ticks, fields), never against the machine's clock.
    assertThat(start.earliest()).isBeforeOrEqualTo(vmStarted.plusSeconds(2));
    assertThat(start.latest()).isAfterOrEqualTo(vmStarted.minusSeconds(60));
    assertThat(start.uncertainty()).isLessThanOrEqualTo(Duration.ofMillis(1010));
  }

  @Test
  void clockTickIsReadFromTheAuxiliaryVector() {
    assertThat(ProcessStart.ticksPerSecond()).isPositive();
  }

  private static void fakeProc(Path proc, String uptime) throws IOException {
    Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 9\n");
    if (uptime != null) {
      Files.writeString(proc.resolve("uptime"), uptime + "\n");
    }
    Files.createDirectories(proc.resolve("4242"));
    // A command name with spaces and parentheses, as a process may choose.
    Files.writeString(
        proc.resolve("4242").resolve("stat"),
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 5 6 0 0 20 0 31 0 12345 100 200\n");
  }
}
