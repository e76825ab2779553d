package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.daemon.DaemonStatus;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code jsplice daemon} as a process, for one simulated host: its own state and selection. */
final class DaemonProcess implements AutoCloseable {
  private final TargetJvm jvm;
  private final Path state;
  private final String name;

  private DaemonProcess(TargetJvm jvm, Path state, String name) {
    this.jvm = jvm;
    this.state = state;
    this.name = name;
  }

  /**
   * A daemon polling every second, managing the JVMs this test run started as host {@code name}
   * ({@link FleetTarget#marker}).
   */
  static DaemonProcess start(
      String name, URI server, Path enrolKey, Path state, Path trust, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "daemon",
                "--server",
                server.toString(),
                "--enrol-key",
                enrolKey.toString(),
                "--state",
                state.toString(),
                "--trust",
                trust.toString(),
                "--name",
                name,
                "--select",
                "*" + FleetTarget.marker(name) + " *",
                "--interval",
                "1"));
    args.addAll(List.of(more));
    return new DaemonProcess(JspliceProcess.start(args), state, name);
  }

  String name() {
    return name;
  }

  /** Its last status; null before its first poll ended. */
  DaemonStatus status() {
    Path file = state.resolve(DaemonStatus.FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return FleetJson.read(Files.readAllBytes(file), DaemonStatus.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its last poll's number; 0 before the first ended. */
  long cycle() {
    DaemonStatus status = status();
    return status == null ? 0 : status.cycle();
  }

  /** Makes it poll at once (and end a backoff). */
  void pollNow() {
    try {
      Files.writeString(state.resolve("poll-now"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until it completed {@code polls} more polls than now. */
  void awaitPolls(int polls) {
    long target = cycle() + polls;
    Await.until(
        name + "'s daemon polled " + polls + " more time(s)",
        () -> cycle() >= target,
        this::outputs);
  }

  String log() {
    return jvm.stderr();
  }

  String outputs() {
    return jvm.outputs() + "\n--- status: " + status();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
