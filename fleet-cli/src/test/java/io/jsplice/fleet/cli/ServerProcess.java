package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.testkit.TestDatabase;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code jsplice server} as a process: its URL, its credentials, and a way to kill it. */
final class ServerProcess implements AutoCloseable {
  private final TargetJvm jvm;
  private final URI url;
  private final Path data;

  private ServerProcess(TargetJvm jvm, URI url, Path data) {
    this.jvm = jvm;
    this.url = url;
    this.data = data;
  }

  /**
   * Starts a server on a free port with its data in {@code data}, trusting {@code trust}.
   *
   * @param database PostgreSQL; null for embedded H2
   */
  static ServerProcess start(Path data, Path trust, TestDatabase.Login database) {
    return start(data, trust, database, 0);
  }

  /**
   * Like {@link #start(Path, Path, TestDatabase.Login)}, on {@code port} (a restart's old port).
   */
  static ServerProcess start(Path data, Path trust, TestDatabase.Login database, int port) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "server",
            "--data",
            data.toString(),
            "--port",
            Integer.toString(port),
            "--json",
            "--trust",
            trust.toString()));
    if (database != null) {
      Path password = data.resolveSibling(data.getFileName() + ".db-password");
      try {
        Files.writeString(password, database.password() + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      args.addAll(
          List.of(
              "--db",
              database.url(),
              "--db-user",
              database.user(),
              "--db-password-file",
              password.toString()));
    }
    TargetJvm jvm = JspliceProcess.start(args);
    jvm.awaitStdout("\"url\":", Await.LONG);
    String line =
        jvm.stdout().lines().filter(l -> l.contains("\"url\":")).findFirst().orElseThrow();
    try {
      Map<?, ?> started = FleetJson.read(line.getBytes(StandardCharsets.UTF_8), Map.class);
      return new ServerProcess(jvm, URI.create((String) started.get("url")), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI url() {
    return url;
  }

  Path data() {
    return data;
  }

  Path adminToken() {
    return data.resolve("admin.token");
  }

  Path enrolKey() {
    return data.resolve("enrol.key");
  }

  String outputs() {
    return jvm.outputs();
  }

  long pid() {
    return jvm.pid();
  }

  /** An admin client; the token is that of the server that created it (for shared databases). */
  FleetClient admin(Path adminToken) {
    try {
      return FleetClient.of(url, Files.readString(adminToken).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FleetClient admin() {
    return admin(adminToken());
  }

  /** {@code kill -9}: no shutdown hook runs. */
  void kill() {
    ProcessHandle.of(jvm.pid()).ifPresent(ProcessHandle::destroyForcibly);
    try {
      jvm.awaitExit(Duration.ofMinutes(1));
    } catch (AssertionError e) {
      throw new IllegalStateException("the server did not die: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    jvm.close();
  }
}
