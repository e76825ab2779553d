package io.jsplice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: a throwaway cluster started from the PostgreSQL installed on
 * the machine (Debian's {@code postgresql} package, which {@code .ci/run} installs), once per test
 * JVM, listening on loopback only, stopped when the JVM exits. PostgreSQL refuses to run as root:
 * when the tests run as root the cluster runs as the {@code postgres} user.
 *
 * <p>There is no fallback: without PostgreSQL the tests that need it fail and say how to install
 * it. Thread-safe.
 */
public final class Postgres {
  /** The superuser's password, for password (scram) logins over TCP. */
  public static final String PASSWORD = "jsplice-tests";

  public static final String USER = "postgres";

  private static Postgres instance;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;

  private Postgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The cluster of this test JVM, started on first use. */
  public static synchronized Postgres get() {
    if (instance == null) {
      instance = start();
      Postgres started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-for-tests-stop"));
    }
    return instance;
  }

  /**
   * A new, empty database.
   *
   * @return its JDBC URL ({@code jdbc:postgresql://127.0.0.1:PORT/NAME}); log in as {@link #USER}
   *     with {@link #PASSWORD}
   */
  public String newDatabase(String prefix) {
    String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    run(
        command(
            bin.resolve("psql").toString(),
            "-h",
            dir.toString(),
            "-p",
            Integer.toString(port),
            "-U",
            USER,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "CREATE DATABASE " + name),
        "create database " + name);
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  public int port() {
    return port;
  }

  private static Postgres start() {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("jsplice-postgres-");
      Path passwordFile = dir.resolve("pw");
      Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), "chown " + dir);
      }
      int port = freePort();
      Postgres postgres = new Postgres(bin, dir, port, root);
      postgres.run(
          postgres.command(
              bin.resolve("initdb").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-U",
              USER,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "--pwfile=" + passwordFile,
              "-E",
              "UTF8",
              "--locale=C.UTF-8",
              "--no-sync"),
          "initdb");
      postgres.run(
          postgres.command(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-l",
              dir.resolve("server.log").toString(),
              "-w",
              "-t",
              "120",
              "-o",
              "-p "
                  + port
                  + " -k "
                  + dir
                  + " -c listen_addresses=127.0.0.1 -c fsync=off"
                  + " -c max_connections=200",
              "start"),
          "pg_ctl start");
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        List<Path> found =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .sorted(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString())))
                .toList();
        if (!found.isEmpty()) {
          return found.get(found.size() - 1).resolve("bin");
        }
      } catch (IOException | NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new IllegalStateException(
        "these tests need PostgreSQL: install it (apt-get install -y postgresql), as .ci/run"
            + " does; no PostgreSQL found under "
            + root);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private List<String> command(String... args) {
    List<String> out = new ArrayList<>();
    if (asPostgresUser) {
      out.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    out.addAll(List.of(args));
    return out;
  }

  private void stop() {
    try {
      run(
          command(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "stop"),
          "pg_ctl stop");
    } catch (RuntimeException ignored) {
      // the JVM is exiting; nothing more to do
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a leftover temporary directory
    }
  }

  private static void run(List<String> command, String what) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "PostgreSQL for tests: "
                + what
                + " failed: "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }
}
