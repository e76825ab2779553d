package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Jdk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon running as root patches a JVM of an unprivileged user ({@code nobody}) and trusts
 * nothing that user writes: a link the user planted on the JVM's class path to a file only root may
 * read is not read; the update and the certificates it hands the user's agent are in files the user
 * cannot change; a trusted-certificate file that belongs to the user is refused.
 */
class RootDaemonTest {
  private static final long NOBODY = 65534;

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<Path> temporary = new ArrayList<>();
  private Process target;

  @AfterEach
  void stopAll() throws Exception {
    if (target != null) {
      target.destroyForcibly().waitFor();
    }
    for (AutoCloseable resource : running) {
      resource.close();
    }
    for (Path tree : temporary) {
      try (Stream<Path> files = Files.walk(tree)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @Test
  void aRootDaemon_patchesAnotherUsersJvm_andTrustsNothingThatUserWrites() throws Exception {
    assumeThat(canSwitchUser()).as("runs as root, with setpriv").isTrue();
    Path trust = TestUpdates.get().trustedCertificate();
    ServerProcess server = keep(ServerProcess.start(dir.resolve("server"), trust, null));
    FleetClient admin = server.admin();

    // The user's service, in a directory everyone may read.
    Path shared = Files.createTempDirectory("jsplice-nobody-");
    temporary.add(shared);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path app = copyTree(FleetTarget.app(), shared.resolve("app"));
    List<Path> jars = new ArrayList<>();
    for (Path jar :
        List.of(
            TestUpdates.get().commonsText19(),
            TestUpdates.get().commonsLang3(),
            TestUpdates.jettison().vulnerable())) {
      jars.add(readable(Files.copy(jar, shared.resolve(jar.getFileName()))));
    }
    // A jar only root may read, and a link to it the user put on the JVM's class path.
    Path rootOnly = Files.createTempDirectory("jsplice-root-only-");
    temporary.add(rootOnly);
    Path secretJar = rootOnly.resolve("secret.jar");
    writeJar(
        secretJar,
        "META-INF/maven/root.secret/hidden/pom.properties",
        "groupId=root.secret\nartifactId=hidden\nversion=1.0\n");
    Files.setPosixFilePermissions(secretJar, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(shared.resolve("planted.jar"), secretJar);
    jars.add(link);

    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                Jdk.current().java().toString(),
                FleetTarget.marker("nobody-host"),
                "-cp"));
    List<String> classpath = new ArrayList<>(List.of(app.toString()));
    jars.forEach(j -> classpath.add(j.toString()));
    command.add(String.join(":", classpath));
    command.add("FleetService");
    target =
        new ProcessBuilder(command).directory(shared.toFile()).redirectErrorStream(true).start();
    ConcurrentLinkedQueue<String> lines = drain(target);
    Await.until("the user's service is ready", () -> lines.contains("ready"), lines::toString);
    assertThat(
            ((Number) Files.getAttribute(Path.of("/proc/" + target.pid()), "unix:uid")).longValue())
        .isEqualTo(NOBODY);

    DaemonProcess daemon =
        keep(
            DaemonProcess.start(
                "nobody-host", server.url(), server.enrolKey(), dir.resolve("daemon"), trust));
    Await.until("the host reported the user's JVM", () -> jvms(admin).size() == 1, daemon::outputs);
    assertThat(jvms(admin).get(0).artifacts())
        .extracting(LoadedArtifact::coordinates)
        .contains("org.apache.commons:commons-text:1.9")
        .noneMatch(c -> c.contains("root.secret"));

    admin.publish(Files.readAllBytes(TestUpdates.get().signed()));
    Await.until(
        "the user's JVM runs the fix",
        () -> ask(target, lines, "text").equals(FleetTarget.FIXED_TEXT),
        () -> lines + daemon.outputs());

    // The update reached the user's agent as the bytes the daemon verified, from the daemon's own
    // files, which the user can neither read nor change.
    Path state = dir.resolve("daemon");
    assertThat(owner(state)).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    try (Stream<Path> packages = Files.list(state.resolve("packages"))) {
      assertThat(packages.toList()).isNotEmpty();
    }
    assertThat(asNobody("ls", state.resolve("packages").toString())).isNotZero();
    assertThat(asNobody("cat", state.resolve("identity.json").toString())).isNotZero();
    assertThat(asNobody("touch", state.resolve("poll-now").toString())).isNotZero();

    // A certificate file the user owns is never trusted.
    Path userCertificate = shared.resolve("user.pem");
    Files.copy(trust, userCertificate);
    Files.setAttribute(userCertificate, "unix:uid", (int) NOBODY);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        io.jsplice.cli.Jsplice.run(
            new String[] {
              "daemon",
              "--server",
              server.url().toString(),
              "--state",
              dir.resolve("other").toString(),
              "--trust",
              userCertificate.toString(),
              "--name",
              "x",
              "--once"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            userCertificate
                + " belongs to uid 65534; the daemon trusts only its own user's or root's files");
  }

  private <T extends AutoCloseable> T keep(T resource) {
    running.add(0, resource);
    return resource;
  }

  private static boolean canSwitchUser() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0
          && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    } catch (IOException e) {
      return false;
    }
  }

  private static int asNobody(String... command) throws IOException, InterruptedException {
    List<String> full =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    full.addAll(List.of(command));
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  private static long owner(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  private static List<JvmInventory> jvms(FleetClient admin) {
    try {
      return admin.host("nobody-host").jvms();
    } catch (FleetException e) {
      return List.of();
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger PROBES =
      new java.util.concurrent.atomic.AtomicInteger();

  private static String ask(Process process, ConcurrentLinkedQueue<String> lines, String probe) {
    String id = "q" + PROBES.incrementAndGet();
    try {
      OutputStream in = process.getOutputStream();
      in.write((id + " " + probe + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String prefix = id + " -> ";
    Await.until(
        "the service answered " + id,
        () -> lines.stream().anyMatch(l -> l.startsWith(prefix)),
        lines::toString);
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }

  private static ConcurrentLinkedQueue<String> drain(Process process) {
    ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "nobody-service-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static Path readable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path copy = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
          Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          readable(Files.copy(file, copy));
        }
      }
    }
    return to;
  }

  private static void writeJar(Path jar, String entry, String content) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
