import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.serialization.ObjectSerializationCodecFactory;

/**
 * CVE-2024-52046: MINA's ObjectSerializationDecoder deserializes any class a peer names (remote
 * code execution through gadget classes). The fix gives the decoder an accept list, empty by
 * default, and refuses every class not on it. The service's codec factory and one client session
 * with its filter chain are built at start and have decoded a message before any update; a fresh
 * session with a fresh codec is tried too. Gadget stands for a class the service never expects.
 */
public class Probe {
  public static class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    public String command = "calc";
  }

  static final List<String> received = new ArrayList<>();
  static DummySession held;

  static DummySession session(ObjectSerializationCodecFactory codec) {
    DummySession session = new DummySession();
    session.getFilterChain().addLast("codec", new ProtocolCodecFilter(codec));
    session.setHandler(
        new IoHandlerAdapter() {
          @Override
          public void messageReceived(IoSession s, Object message) {
            received.add("decoded:" + message.getClass().getSimpleName());
          }

          @Override
          public void exceptionCaught(IoSession s, Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null) {
              root = root.getCause();
            }
            received.add("refused:" + root.getClass().getSimpleName());
          }
        });
    return session;
  }

  /** What the session's handler gets for one serialized object sent by the peer. */
  static String send(DummySession session, Object message) {
    IoBuffer buffer = IoBuffer.allocate(64).setAutoExpand(true);
    buffer.putObject(message);
    buffer.flip();
    received.clear();
    session.getFilterChain().fireMessageReceived(buffer);
    return String.join(",", received);
  }

  static String probe() {
    return "held="
        + send(held, new Gadget())
        + " fresh="
        + send(session(new ObjectSerializationCodecFactory()), new Gadget());
  }

  public static void main(String[] args) throws Exception {
    held = session(new ObjectSerializationCodecFactory());
    send(held, new ArrayList<>(List.of("order-1")));
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
