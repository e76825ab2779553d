package io.jsplice.model.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The local control channel between the {@code jsplice} CLI and the agent in a JVM.
 *
 * <p>The agent listens on a Unix domain socket, never a network port, at {@link #socketPath}: a
 * directory private to the JVM's user (mode 0700) holding {@code <pid>.sock}. The agent also checks
 * each peer's credentials ({@code SO_PEERCRED}): only the JVM's own user and root are served. This
 * is the same trust rule as the JDK's attach mechanism.
 *
 * <p>One request per connection: the client writes a frame, the agent answers with one frame and
 * closes. A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON, at most {@link
 * #MAX_FRAME} bytes. Requests are objects with an {@code "op"} field; replies carry {@code "ok":
 * true} or {@code "ok": false} with a {@code "cause"} (a {@link FailureCause} name) and a one-line
 * {@code "message"}.
 */
public final class ControlProtocol {
  public static final int MAX_FRAME = 4 * 1024 * 1024;

  /** Operations the agent serves. */
  public static final String OP_STATUS = "status";

  public static final String OP_APPLY = "apply";
  public static final String OP_UNDO = "undo";
  public static final String OP_SHOW = "show";

  /**
   * Compares what the JVM loaded with what is on disk now, and whether each applied or recorded
   * update would apply again after a restart. Optional request field {@code "updates": false}
   * leaves the updates out (what {@code jsplice stale} needs).
   */
  public static final String OP_VERIFY = "verify";

  /**
   * The system property in which the agent states, in one line, why it is loaded but its control
   * channel is not open (or why it failed to start). Absent while the channel is open. The CLI
   * reads it through the attach API to say what went wrong.
   */
  public static final String PROBLEM_PROPERTY = "jsplice.agent.problem";

  private ControlProtocol() {}

  /** The directory holding the control sockets of every JVM run by {@code uid}. */
  public static Path socketDirectory(long uid) {
    return Path.of("/tmp", ".jsplice-" + uid);
  }

  public static Path socketPath(long uid, long pid) {
    return socketDirectory(uid).resolve(pid + ".sock");
  }

  public static void writeFrame(OutputStream out, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_FRAME) {
      throw new IOException("control message of " + bytes.length + " bytes exceeds " + MAX_FRAME);
    }
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(bytes.length);
    data.write(bytes);
    data.flush();
  }

  /**
   * Reads one frame.
   *
   * @throws EOFException if the stream ends before a whole frame
   * @throws IOException if the frame is larger than {@link #MAX_FRAME}
   */
  public static String readFrame(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int length = data.readInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("control message length " + length + " is out of range");
    }
    byte[] bytes = new byte[length];
    data.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
