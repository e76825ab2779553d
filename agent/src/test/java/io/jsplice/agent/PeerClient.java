package io.jsplice.agent;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A control client run as user {@code nobody} (through {@code runuser}, so the tests must run as
 * root): shows what another user gets from the control channel. It prints {@code REPLY <json>} or
 * {@code FAILED <exception>}.
 */
public final class PeerClient {
  private static final String SOURCE =
      """
      import java.io.IOException;
      import java.net.UnixDomainSocketAddress;
      import java.nio.ByteBuffer;
      import java.nio.channels.SocketChannel;
      import java.nio.charset.StandardCharsets;

      public class PeerClient {
        public static void main(String[] args) {
          try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
            byte[] request = "{\\"op\\":\\"status\\"}".getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request);
            out.flip();
            try {
              while (out.hasRemaining()) channel.write(out);
            } catch (IOException closedFirst) {
              // The server may answer and close before reading: the reply is still there.
            }
            ByteBuffer length = ByteBuffer.allocate(4);
            while (length.hasRemaining()) if (channel.read(length) < 0) throw new IOException("EOF");
            ByteBuffer body = ByteBuffer.allocate(length.flip().getInt());
            while (body.hasRemaining()) if (channel.read(body) < 0) throw new IOException("EOF");
            System.out.println("REPLY " + new String(body.array(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            System.out.println("FAILED " + e);
          }
        }
      }
      """;

  private PeerClient() {}

  public static boolean canRun() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0
          && Files.isExecutable(Path.of("/usr/sbin/runuser"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs the client as {@code nobody} against {@code socket} and returns what it printed. */
  public static String runAsNobody(Path socket) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("jsplice-peer-client");
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Jars.writeDirectory(
          dir,
          Compiler.with(Jdk.current())
              .options("--release", "17")
              .compile("PeerClient.java", SOURCE));
      Process process =
          new ProcessBuilder(
                  "/usr/sbin/runuser",
                  "-u",
                  "nobody",
                  "--",
                  Jdk.current().java().toString(),
                  "-XX:-UsePerfData",
                  "-cp",
                  dir.toString(),
                  "PeerClient",
                  socket.toString())
              .redirectErrorStream(true)
              .start();
      try {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
      } finally {
        process.destroyForcibly();
      }
    } finally {
      Compiler.deleteTree(dir);
    }
  }
}
