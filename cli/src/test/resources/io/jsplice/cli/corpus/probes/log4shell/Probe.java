import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Log4Shell, CVE-2021-44228 (fixed in 2.15.0) and CVE-2021-45046 (2.16.0): log4j expands
 * ${jndi:ldap://...} found in a logged message, and in a Thread Context value that the layout's
 * pattern looks up (${ctx:...}), by connecting to the LDAP server named (which can make the JVM
 * load a remote class). 2.15.0 stops expanding messages and allows LDAP to local hosts only; 2.16.0
 * disables JNDI altogether. No LDAP server is needed: three loopback ports the probe opens count
 * the connections they get; one is on 127.0.0.2, which is not an address of this host's interfaces
 * and which 2.15.0 therefore refuses. Each observation says LOOKUP when log4j connected, plain when
 * it did not.
 *
 * <p>The service's logger, layout and configuration (whose Interpolator holds the lookups) are
 * built at start and have logged, exploit included, before any update. A layout built at probe time
 * on the same configuration is checked too.
 */
public class Probe {
  static final String PATTERN = "%m [user=${ctx:user} via=${ctx:via}]%n";

  /** A loopback port that counts the connections made to it and hangs up on each at once. */
  static final class Peer {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();

    Peer(InetAddress address) throws IOException {
      socket = new ServerSocket(0, 50, address);
      Thread accepting =
          new Thread(
              () -> {
                for (; ; ) {
                  try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
    }

    String jndi(String name) {
      return "${jndi:ldap://"
          + socket.getInetAddress().getHostAddress()
          + ":"
          + socket.getLocalPort()
          + "/"
          + name
          + "}";
    }
  }

  static Peer message;
  static Peer context;
  static Peer remote;
  static Configuration configuration;
  static Logger log;
  static final StringWriter written = new StringWriter();

  interface Logging {
    void log();
  }

  /**
   * Which peers one logging call reached. The call is synchronous and a peer counts a connection
   * before it hangs up, which is before the lookup returns.
   */
  static String observe(Logging logging) {
    int m = message.connections.get();
    int c = context.connections.get();
    int r = remote.connections.get();
    try {
      logging.log();
    } catch (RuntimeException e) {
      return "failed:" + e.getClass().getSimpleName();
    }
    return "message="
        + seen(message, m)
        + " context="
        + seen(context, c)
        + " context-remote="
        + seen(remote, r);
  }

  static String seen(Peer peer, int before) {
    return peer.connections.get() > before ? "LOOKUP" : "plain";
  }

  static String probe() {
    String held =
        observe(
            () -> {
              int length = written.getBuffer().length();
              ThreadContext.put("user", context.jndi("user"));
              ThreadContext.put("via", remote.jndi("via"));
              try {
                log.info("login " + message.jndi("message"));
              } finally {
                ThreadContext.clearMap();
              }
              if (written.getBuffer().length() == length) {
                throw new IllegalStateException("nothing logged");
              }
            });
    String fresh =
        observe(
            () ->
                PatternLayout.newBuilder()
                    .withPattern(PATTERN)
                    .withConfiguration(configuration)
                    .build()
                    .toSerializable(
                        Log4jLogEvent.newBuilder()
                            .setLoggerName("service")
                            .setLevel(Level.INFO)
                            .setMessage(new SimpleMessage("login " + message.jndi("message")))
                            .setContextMap(
                                Map.of("user", context.jndi("user"), "via", remote.jndi("via")))
                            .build()));
    return "held[" + held + "] fresh[" + fresh + "]";
  }

  public static void main(String[] args) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    message = new Peer(loopback);
    context = new Peer(loopback);
    remote = new Peer(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
    LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);
    configuration = loggerContext.getConfiguration();
    PatternLayout layout =
        PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(configuration).build();
    WriterAppender appender =
        WriterAppender.createAppender(layout, null, written, "probe", false, true);
    appender.start();
    configuration.addAppender(appender);
    configuration.getRootLogger().addAppender(appender, Level.INFO, null);
    loggerContext.updateLoggers();
    log = LogManager.getLogger("service");
    ThreadContext.put("user", "alice");
    log.info("started");
    ThreadContext.clearMap();
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
