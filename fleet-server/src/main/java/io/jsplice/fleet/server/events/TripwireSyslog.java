package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.FleetEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Tripwire events to a syslog collector ({@code jsplice server --tripwire-syslog udp://HOST:PORT}):
 * one RFC 5424 message per event, one UDP datagram each (RFC 5426), with the JDK's own socket.
 *
 * <pre>{@code
 * <36>1 2026-12-03T17:45:02.123Z web-1 jsplice 4242 TRIPWIRE - \uFEFFseq 17: exploit attempt ...
 * }</pre>
 *
 * <p>Facility 4 (security/authorization), severity 4 (warning); the event's time, its host (the
 * fleet's name for the host the attempt was made on), {@code jsplice}, the JVM's pid, {@code
 * TRIPWIRE}, no structured data, and the event's one line prefixed with its sequence number (for
 * dedup). A datagram is at most {@value #MAX_DATAGRAM} bytes, what RFC 5426 says receivers should
 * take; a longer line is cut.
 *
 * <p>What UDP guarantees: the collector "took" a batch once every datagram was handed to the
 * network. There is no acknowledgement, so a datagram lost on the way or sent while nothing listens
 * is not sent again; only a send the host itself refuses (a name that does not resolve, no route)
 * keeps the mark, and the forwarder tries again.
 */
public final class TripwireSyslog implements TripwireTarget {
  public static final String MARK_FILE = "tripwire-syslog.mark";
  static final int MAX_DATAGRAM = 2048;
  static final int DEFAULT_PORT = 514;

  /** Facility 4 (security/authorization) times 8, plus severity 4 (warning). */
  private static final int PRIORITY = 4 * 8 + 4;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final URI target;
  private final String host;
  private final int port;

  /**
   * @param target {@code udp://HOST} or {@code udp://HOST:PORT} (514 by default)
   * @throws IllegalArgumentException when it is not one
   */
  public TripwireSyslog(URI target) {
    if (!"udp".equals(target.getScheme())
        || target.getHost() == null
        || (target.getPath() != null && !target.getPath().isEmpty())
        || target.getQuery() != null) {
      throw new IllegalArgumentException(
          "--tripwire-syslog needs udp://HOST or udp://HOST:PORT, not " + target);
    }
    this.target = target;
    this.host = target.getHost();
    this.port = target.getPort() < 0 ? DEFAULT_PORT : target.getPort();
  }

  @Override
  public String describe() {
    return "tripwire syslog " + target;
  }

  @Override
  public String markFile() {
    return MARK_FILE;
  }

  @Override
  public void send(List<FleetEvent> batch) throws IOException {
    // Resolved at every batch: a collector that moved is found again.
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IOException("cannot resolve " + host);
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      for (FleetEvent event : batch) {
        byte[] message = message(event);
        socket.send(new DatagramPacket(message, message.length, address));
      }
    }
  }

  /** The event as one RFC 5424 message, at most {@value #MAX_DATAGRAM} bytes. */
  static byte[] message(FleetEvent event) {
    String header =
        "<"
            + PRIORITY
            + ">1 "
            + event.at().truncatedTo(ChronoUnit.MILLIS)
            + " "
            + field(event.host(), 255)
            + " jsplice "
            + (event.pid() > 0 ? Long.toString(event.pid()) : "-")
            + " TRIPWIRE - ";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(BOM);
    String text = "seq " + event.seq() + ": " + oneLine(event.message());
    out.writeBytes(cut(text, MAX_DATAGRAM - out.size()));
    return out.toByteArray();
  }

  /**
   * A header field: printable US-ASCII without spaces, at most {@code max} characters; "-" if none.
   */
  private static String field(String value, int max) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < max; i++) {
      char c = value.charAt(i);
      out.append(c > 32 && c < 127 ? c : '_');
    }
    return out.toString();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
  }

  /** {@code text} in UTF-8, cut to {@code max} bytes at a character's boundary. */
  private static byte[] cut(String text, int max) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= max) {
      return bytes;
    }
    int end = max;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // a continuation byte: the character starts before it
    }
    return java.util.Arrays.copyOf(bytes, end);
  }
}
