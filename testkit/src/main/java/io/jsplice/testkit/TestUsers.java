package io.jsplice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two unprivileged users for the tests of who may do what to whom: {@code jsplice-a} runs the
 * target JVMs, {@code jsplice-b} is another user of the same machine. The tests run as root (CI
 * does); {@code .ci/run} creates the users, and so does {@link #a()} when they are missing.
 *
 * <p>Processes are started as a user through {@code setpriv} (util-linux), which execs: the pid is
 * the program's own.
 */
public final class TestUsers {
  public static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** A user of this machine. */
  public record User(String name, long uid, long gid) {
    /** {@code command} run as this user, with no supplementary groups. */
    public List<String> command(List<String> command) {
      List<String> out = new ArrayList<>();
      out.add(SETPRIV.toString());
      out.add("--reuid=" + uid);
      out.add("--regid=" + gid);
      out.add("--clear-groups");
      out.add("--");
      out.addAll(command);
      return out;
    }
  }

  private TestUsers() {}

  /** Why these tests cannot run here, or null when they can: root with setpriv. */
  public static String cannotRun() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the tests with two users run as root only (CI runs them as root); this runs as "
          + System.getProperty("user.name");
    }
    if (!Files.isExecutable(SETPRIV)) {
      return SETPRIV + " (util-linux) is missing";
    }
    return null;
  }

  /** The user who runs the target JVMs. */
  public static User a() {
    return ensure("jsplice-a");
  }

  /** Another user, who should reach nothing of {@link #a()}'s. */
  public static User b() {
    return ensure("jsplice-b");
  }

  private static synchronized User ensure(String name) {
    if (run(List.of("id", "-u", name)).isEmpty()) {
      run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
    }
    String uid = run(List.of("id", "-u", name)).strip();
    String gid = run(List.of("id", "-g", name)).strip();
    if (uid.isEmpty()) {
      throw new IllegalStateException("cannot create the test user " + name);
    }
    return new User(name, Long.parseLong(uid), Long.parseLong(gid));
  }

  /** A new directory under /tmp that every user can read and enter (mode 0755). */
  public static Path readableDirectory(String prefix) {
    try {
      Path dir =
          Files.createTempDirectory(
              Path.of("/tmp"),
              prefix,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies a file or directory tree into {@code into} so that every user can read it: the tests'
   * own files may lie under a directory only root can enter.
   *
   * @return the copy
   */
  public static Path readableCopy(Path source, Path into) {
    Path target = into.resolve(source.getFileName().toString());
    try {
      if (Files.isDirectory(source)) {
        Files.walkFileTree(
            source,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                  throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                  throws IOException {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
              }
            });
      } else {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code path} owned by {@code user}. */
  public static void chown(Path path, User user) {
    run(List.of("chown", user.uid() + ":" + user.gid(), path.toString()));
  }

  /** Runs {@code command} and returns its stdout; empty when it fails. */
  public static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      String out = new String(process.getInputStream().readAllBytes());
      process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish");
      }
      return process.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
