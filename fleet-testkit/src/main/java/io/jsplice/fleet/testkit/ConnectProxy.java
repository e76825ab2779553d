package io.jsplice.fleet.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real HTTP proxy on a loopback port, as a corporate proxy behaves: {@code CONNECT
 * HOST:PORT} opens a tunnel (the bytes are relayed untouched, TLS included); a request in absolute
 * form ({@code GET http://HOST:PORT/path}) is relayed to that origin. With a login it answers 407
 * to a request without the right {@code Proxy-Authorization: Basic}. It records every request it
 * relayed, so a test can tell that it was used.
 *
 * <p>Thread-safe; one thread accepts, two threads relay each connection.
 */
public final class ConnectProxy implements AutoCloseable {
  private final ServerSocket socket;
  private final String expectedAuthorization;
  private final List<String> relayed = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private ConnectProxy(ServerSocket socket, String expectedAuthorization) {
    this.socket = socket;
    this.expectedAuthorization = expectedAuthorization;
  }

  /**
   * Starts a proxy on a free loopback port.
   *
   * @param user with {@code password}, the login it demands; null for none
   */
  public static ConnectProxy start(String user, String password) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String expected =
          user == null
              ? null
              : "Basic "
                  + Base64.getEncoder()
                      .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      ConnectProxy proxy = new ConnectProxy(socket, expected);
      Thread accept = new Thread(proxy::accept, "test-proxy-accept");
      accept.setDaemon(true);
      accept.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /**
   * The requests it relayed, in order: {@code CONNECT host:port}, or the method and absolute URL of
   * a forwarded request.
   */
  public List<String> relayed() {
    return List.copyOf(relayed);
  }

  /** The requests it refused for a missing or wrong login (answered 407). */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        open.add(client);
        daemon(() -> serve(client), "test-proxy-client");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        client.close();
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
      String request = requestLine[0] + " " + requestLine[1];
      if (expectedAuthorization != null
          && !expectedAuthorization.equals(header(text, "proxy-authorization"))) {
        refused.add(request);
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"test proxy\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        client.close();
        return;
      }
      Socket origin;
      if (requestLine[0].equals("CONNECT")) {
        String[] target = requestLine[1].split(":");
        origin = new Socket(target[0], Integer.parseInt(target[1]));
        open.add(origin);
        relayed.add(request);
        client
            .getOutputStream()
            .write(
                "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        URI target = URI.create(requestLine[1]);
        origin = new Socket(target.getHost(), target.getPort() < 0 ? 80 : target.getPort());
        open.add(origin);
        relayed.add(request);
        origin.getOutputStream().write(head); // an origin server accepts the absolute form
      }
      daemon(() -> pump(origin, client), "test-proxy-back");
      pump(client, origin);
    } catch (IOException | RuntimeException e) {
      closeQuietly(client);
    }
  }

  /** Copies until {@code from} ends, then closes both. */
  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException ignored) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** The request line and headers, through the empty line; null if the client closed first. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toByteArray();
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  private static void daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : new ArrayList<>(open)) {
      closeQuietly(s);
    }
  }
}
