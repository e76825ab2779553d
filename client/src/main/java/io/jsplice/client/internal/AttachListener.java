package io.jsplice.client.internal;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.TargetNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * HotSpot's attach listener on Linux, spoken to directly: the protocol the JDK's {@code
 * sun.tools.attach.VirtualMachineImpl} speaks (JDK 17 and 25 targets accept its version 1), without
 * its fixed waits. The JDK's client sleeps 100 ms, then 200 ms, and so on after the signal that
 * starts the listener, and reads the target's perf data first; this one looks for the listener's
 * socket every {@value #POLL_MILLIS} ms.
 *
 * <p>The handshake: if {@code /tmp/.java_pid<NSPID>} (in the target's view of the file system) is
 * not there, create {@code .attach_pid<NSPID>} in the target's working directory (else in its
 * {@code /tmp}), send it SIGQUIT, wait for the socket, delete the file. A request is {@code
 * 1\0COMMAND\0ARG0\0ARG1\0ARG2\0} ({@link #request}); the reply is the completion status as a
 * decimal line, then the command's output until the target closes the connection ({@link #reply}).
 *
 * <p>Security, as the JDK's client and stricter: this runs only as the target's own user (see
 * {@link HotSpotAttach}); the socket must be a socket, not a link, owned by this user and group and
 * closed to others, and the process that listens on it must run as the target's user ({@code
 * SO_PEERCRED}). A socket of another user is refused, never used or deleted, with what it most
 * likely is (a stale file of a killed process whose pid the target got: {@link
 * ForeignAttachSocket}). SIGQUIT is sent only to a process that catches it (a process that does not
 * would die of it).
 *
 * <p>Whatever this client does not expect (no {@code /proc} status, a target that does not catch
 * SIGQUIT, an argument longer than version 1 carries, a socket that does not appear, a reply it
 * cannot read before the request was sent) is an {@link Unexpected}: the caller then falls back to
 * the JDK's client, which is slower but knows more cases. Nothing that reaches the target is sent
 * twice: once a request is written, failures are reported, never retried.
 */
final class AttachListener {
  /** How often the socket is looked for after the signal. */
  static final long POLL_MILLIS = 2;

  /** HotSpot's {@code AttachOperation::arg_length_max} for version 1 requests. */
  static final int ARG_LENGTH_MAX = 1024;

  private static final String PROTOCOL_VERSION = "1";
  private static final long SIGQUIT_MASK = 1L << 2; // signal 3, bit 2 of /proc/PID/status masks
  private static final Path KILL = Path.of("/bin/kill");
  private static final Set<PosixFilePermission> OTHERS_ACCESS =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final JvmProcess target;
  private final Path socket;

  private AttachListener(JvmProcess target, Path socket) {
    this.target = target;
    this.socket = socket;
  }

  /**
   * Something this client does not handle, before anything reached the target's listener: the JDK's
   * client may.
   */
  static final class Unexpected extends Exception {
    private static final long serialVersionUID = 1L;

    Unexpected(String message) {
      super(message);
    }

    Unexpected(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The target opened no attach socket in time after the signal; the JDK's client would not do
   * better.
   */
  static final class NoListener extends Exception {
    private static final long serialVersionUID = 1L;

    NoListener(String message) {
      super(message);
    }
  }

  /**
   * A command the listener answered with a non-zero status.
   *
   * @param status the completion status
   * @param message the listener's output, which says why
   */
  record Failed(int status, String message) {}

  /** What a command answered: its output if {@code failed} is null. */
  record Reply(Failed failed, byte[] output) {}

  /**
   * The listener of {@code target}, started if it is not running yet. Call only as the target's
   * user.
   *
   * @param timeout how long to wait for the listener's socket after the signal
   * @throws Unexpected if the JDK's client should try instead
   * @throws TargetNotFoundException if the target exits meanwhile
   */
  static AttachListener of(JvmProcess target, Duration timeout)
      throws Unexpected, NoListener, TargetNotFoundException, AgentUnavailableException {
    Path tmp =
        target.otherMountNamespace()
            ? Path.of("/proc", Long.toString(target.pid()), "root", "tmp")
            : Path.of("/tmp");
    Path socket = tmp.resolve(".java_pid" + target.namespacePid());
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      start(target, tmp, socket, timeout);
    }
    checkSocketFile(target, socket);
    return new AttachListener(target, socket);
  }

  /** See {@link HotSpotAttach#prepare}: the signal's method found. */
  static void prepare() {
    Object unused = Signal.QUIT;
  }

  private static void start(JvmProcess target, Path tmp, Path socket, Duration timeout)
      throws Unexpected, NoListener, TargetNotFoundException, AgentUnavailableException {
    if (!catchesSigquit(target.pid())) {
      throw new Unexpected("JVM " + target.pid() + " does not catch SIGQUIT (yet)");
    }
    if (!Files.isExecutable(KILL)) {
      throw new Unexpected(KILL + " is missing");
    }
    String name = ".attach_pid" + target.namespacePid();
    Path trigger;
    try {
      trigger = createTrigger(Path.of("/proc", Long.toString(target.pid()), "cwd", name));
    } catch (IOException | RuntimeException inCwd) {
      try {
        trigger = createTrigger(tmp.resolve(name));
      } catch (IOException | RuntimeException inTmp) {
        // Without the file, SIGQUIT would only make the JVM print a thread dump.
        throw new Unexpected("cannot create " + name + ": " + inTmp, inTmp);
      }
    }
    try {
      sendQuit(target);
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      boolean resent = false;
      while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        long now = System.nanoTime();
        if (now > deadline) {
          if (!target.isAlive()) {
            throw new TargetNotFoundException("JVM " + target.pid() + " has exited");
          }
          throw new NoListener(
              "JVM "
                  + target.pid()
                  + " opened no attach socket "
                  + socket
                  + " within "
                  + timeout.toMillis()
                  + " ms");
        }
        if (!resent && now - start > timeout.toNanos() / 2) {
          // As the JDK's client does: a last chance for a signal that came too early.
          sendQuit(target);
          resent = true;
        }
        sleep(POLL_MILLIS);
      }
    } finally {
      if (trigger != null) {
        try {
          Files.deleteIfExists(trigger);
        } catch (IOException ignored) {
          // The listener has started or will not; a stale trigger only lets a later SIGQUIT start
          // it, which that SIGQUIT's sender wanted anyway.
        }
      }
    }
  }

  /**
   * The file created; null if one is there already (another client's, which will start the listener
   * as well); throws if it cannot be created.
   */
  private static Path createTrigger(Path file) throws IOException {
    try {
      // O_CREAT | O_EXCL: never follows a link planted at that name, never takes over a file.
      return Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return null;
    }
  }

  /** Whether {@code pid} has a handler for SIGQUIT and does not ignore it. */
  static boolean catchesSigquit(long pid) throws TargetNotFoundException, Unexpected {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
    } catch (NoSuchFileException e) {
      throw new TargetNotFoundException("JVM " + pid + " has exited");
    } catch (IOException e) {
      throw new Unexpected("cannot read /proc/" + pid + "/status", e);
    }
    Boolean caught = null;
    Boolean ignored = null;
    for (String line : lines) {
      if (line.startsWith("SigCgt:")) {
        caught = (mask(line) & SIGQUIT_MASK) != 0;
      } else if (line.startsWith("SigIgn:")) {
        ignored = (mask(line) & SIGQUIT_MASK) != 0;
      }
    }
    if (caught == null || ignored == null) {
      throw new Unexpected("/proc/" + pid + "/status names no signal masks");
    }
    return caught && !ignored;
  }

  private static long mask(String line) {
    String hex = line.substring(line.indexOf(':') + 1).trim();
    // 64 signals in 16 hex digits; SIGQUIT is in the low half.
    return Long.parseUnsignedLong(hex.substring(Math.max(0, hex.length() - 16)), 16);
  }

  private static void sendQuit(JvmProcess target)
      throws Unexpected, TargetNotFoundException, AgentUnavailableException {
    Method signal = Signal.QUIT;
    if (signal != null) {
      try {
        signal.invoke(null, Math.toIntExact(target.pid()));
        return;
      } catch (InvocationTargetException e) {
        if (!target.isAlive()) {
          throw new TargetNotFoundException("JVM " + target.pid() + " has exited");
        }
        throw new Unexpected("SIGQUIT to " + target.pid() + " failed: " + e.getCause(), e);
      } catch (IllegalAccessException | ArithmeticException e) {
        // Not expected once the method is accessible: the process below tries.
      }
    }
    Process kill;
    try {
      kill =
          new ProcessBuilder(KILL.toString(), "-QUIT", Long.toString(target.pid()))
              .redirectErrorStream(true)
              .start();
      kill.getOutputStream().close();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new Unexpected(KILL + " did not end");
      }
      if (kill.exitValue() != 0) {
        if (!target.isAlive()) {
          throw new TargetNotFoundException("JVM " + target.pid() + " has exited");
        }
        throw new Unexpected(KILL + " -QUIT " + target.pid() + " failed: " + said.strip());
      }
    } catch (IOException e) {
      throw new Unexpected("cannot run " + KILL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentUnavailableException("interrupted while signalling JVM " + target.pid(), e);
    }
  }

  /**
   * The JDK attach client's own {@code kill(pid, SIGQUIT)} ({@code
   * sun.tools.attach.VirtualMachineImpl.sendQuitTo}, in JDK 17 and 25), when this process may call
   * it: {@code bin/jsplice}'s jars open its package to themselves ({@code Add-Opens} in their
   * manifests). It signals without starting a process: {@code /bin/kill} costs a fork and two execs
   * (the JDK spawns it through its helper), and its classes. Null where the package is not open (a
   * library user's JVM): then {@code /bin/kill} signals.
   */
  static final class Signal {
    static final Method QUIT = quit();

    private Signal() {}

    private static Method quit() {
      try {
        Method quit =
            Class.forName("sun.tools.attach.VirtualMachineImpl")
                .getDeclaredMethod("sendQuitTo", int.class);
        quit.setAccessible(true);
        return quit;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }
  }

  /**
   * The JDK's own check of the socket file, from {@code lstat}: a socket (not a link to one) of
   * this process's user and group that others cannot read or write.
   */
  private static void checkSocketFile(JvmProcess target, Path socket)
      throws AgentUnavailableException, Unexpected {
    try {
      PosixFileAttributes attributes =
          Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      long uid =
          ((Number) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
      long gid =
          ((Number) Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
      ProcFs.Status self = ProcFs.status(ProcessHandle.current().pid());
      // Before the file's type: a stale file of another user is refused with its diagnosis, whether
      // it is a socket, a regular file or a link.
      boolean foreign =
          self.uid() == 0 ? uid != target.uid() : uid != self.uid() || gid != self.gid();
      if (foreign) {
        throw new AgentUnavailableException(ForeignAttachSocket.refusal(target, socket, uid, gid));
      }
      if (!attributes.isOther() || attributes.isSymbolicLink()) {
        throw new Unexpected(socket + " is not a socket");
      }
      if (attributes.permissions().stream().anyMatch(OTHERS_ACCESS::contains)) {
        throw new AgentUnavailableException(
            "the attach socket "
                + socket
                + " of JVM "
                + target.pid()
                + " is open to other users; refusing to use it");
      }
    } catch (NoSuchFileException e) {
      throw new Unexpected(socket + " disappeared", e);
    } catch (IOException | RuntimeException e) {
      throw new Unexpected("cannot check " + socket + ": " + e, e);
    }
  }

  /**
   * Asks the listener to load the JVM's {@code instrument} agent with {@code jar=options}: the
   * {@code load} command of {@code VirtualMachine.loadAgent}.
   *
   * @return the reply
   * @throws Unexpected if nothing was sent (an argument too long for version 1, no connection)
   * @throws AgentUnavailableException if the reply cannot be read after the request was sent
   */
  Reply loadInstrument(Path jar, String options) throws Unexpected, AgentUnavailableException {
    String argument = options == null ? jar.toString() : jar + "=" + options;
    return execute("load", "instrument", "false", argument);
  }

  /** The target's system properties: the {@code properties} command. */
  Properties systemProperties() throws Unexpected, AgentUnavailableException {
    Reply reply = execute("properties");
    if (reply.failed() != null) {
      throw new AgentUnavailableException(
          "JVM "
              + target.pid()
              + " did not give its system properties: "
              + reply.failed().message());
    }
    Properties properties = new Properties();
    try {
      properties.load(new ByteArrayInputStream(reply.output()));
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentUnavailableException(
          "JVM " + target.pid() + " gave system properties that do not parse: " + e, e);
    }
    return properties;
  }

  Reply execute(String command, String... args) throws Unexpected, AgentUnavailableException {
    byte[] request = request(command, args);
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException | UnsupportedOperationException e) {
      throw new Unexpected("cannot open a Unix domain socket", e);
    }
    try (channel) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new Unexpected("cannot connect to " + socket + ": " + e.getMessage(), e);
      }
      checkPeer(channel);
      try {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          channel.write(out);
        }
        return reply(Channels.newInputStream(channel));
      } catch (IOException e) {
        throw new AgentUnavailableException(
            "JVM "
                + target.pid()
                + " did not answer the attach request '"
                + command
                + "': "
                + e.getMessage(),
            e);
      }
    } catch (IOException closing) {
      throw new AgentUnavailableException(
          "closing the attach connection to JVM " + target.pid() + " failed: " + closing, closing);
    }
  }

  private void checkPeer(SocketChannel channel) throws AgentUnavailableException, Unexpected {
    UnixDomainPrincipal peer;
    UserPrincipal expected;
    try {
      peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      expected = Files.getOwner(Path.of("/proc", Long.toString(target.pid())));
    } catch (IOException | UnsupportedOperationException e) {
      throw new Unexpected("cannot read the credentials of the attach listener: " + e, e);
    }
    if (!peer.user().equals(expected)) {
      throw new AgentUnavailableException(
          "the attach socket "
              + socket
              + " of JVM "
              + target.pid()
              + " is served by a process of "
              + peer.user().getName()
              + ", not of "
              + expected.getName()
              + "; refusing to use it");
    }
  }

  /**
   * A version 1 request: the version, the command and exactly three arguments (missing ones empty),
   * each in UTF-8 and ended by a NUL.
   *
   * @throws Unexpected if an argument is longer than version 1 carries, or holds a NUL
   */
  static byte[] request(String command, String... args) throws Unexpected {
    if (args.length > 3) {
      throw new IllegalArgumentException("at most three arguments, not " + args.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, PROTOCOL_VERSION);
    field(out, command);
    for (int i = 0; i < 3; i++) {
      field(out, i < args.length && args[i] != null ? args[i] : "");
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) throws Unexpected {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= ARG_LENGTH_MAX) {
      throw new Unexpected(
          "an attach argument of " + bytes.length + " bytes is longer than version 1 carries");
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw new Unexpected("an attach argument holds a NUL");
      }
    }
    out.writeBytes(bytes);
    out.write(0);
  }

  /**
   * Reads a reply: the completion status as decimal digits ended by a newline, then the output
   * until the end of the stream.
   *
   * @throws IOException if the stream ends before the status, or the status is not a number
   */
  static Reply reply(InputStream in) throws IOException {
    StringBuilder digits = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the attach listener closed the connection before its status");
      }
      if (digits.length() > 11 || !(Character.isDigit(c) || (c == '-' && digits.isEmpty()))) {
        throw new IOException("the attach listener's status is not a number: " + digits + (char) c);
      }
      digits.append((char) c);
    }
    int status;
    try {
      status = Integer.parseInt(digits.toString());
    } catch (NumberFormatException e) {
      throw new IOException("the attach listener's status is not a number: " + digits, e);
    }
    byte[] output = in.readNBytes(16 * 1024 * 1024);
    return status == 0
        ? new Reply(null, output)
        : new Reply(new Failed(status, new String(output, StandardCharsets.UTF_8).strip()), output);
  }

  private static void sleep(long millis) throws AgentUnavailableException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentUnavailableException("interrupted while waiting for the attach listener", e);
    }
  }
}
