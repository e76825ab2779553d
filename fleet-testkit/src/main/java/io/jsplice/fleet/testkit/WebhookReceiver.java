package io.jsplice.fleet.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jsplice.fleet.api.EventBatch;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.ForwardedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An operator's webhook on a loopback port, as the fleet server's event forwarding meets it: it
 * records every request to {@code /hook} with what it answered, 503 to as many as the test says it
 * should refuse ({@link #refuse}), 204 to the rest.
 *
 * <p>Thread-safe: the server's threads record, the test's thread reads.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** How long {@link #next()} waits: only keeps a broken build from hanging. */
  public static final Duration LIMIT = Duration.ofMinutes(5);

  private final HttpServer server;
  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final AtomicInteger refuse = new AtomicInteger();

  /**
   * One request the webhook received, and what it answered.
   *
   * @param body the request's body
   * @param signature its {@value EventBatch#SIGNATURE_HEADER} header; null if it had none
   * @param answered the status this receiver answered
   */
  public record Delivery(byte[] body, String signature, int answered) {
    /** The body as {@code --events-webhook} sends it: an {@link EventBatch}. */
    public List<ForwardedEvent> events() {
      try {
        return FleetJson.read(body, EventBatch.class).events();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free loopback port that takes every request. */
  public static WebhookReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext("/hook", receiver::receive);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test's webhook", e);
    }
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int answer = refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
      // Recorded before it answers: a test that saw the delivery may wait for what follows it.
      deliveries.add(
          new Delivery(
              body, exchange.getRequestHeaders().getFirst(EventBatch.SIGNATURE_HEADER), answer));
      exchange.sendResponseHeaders(answer, -1);
    }
  }

  /**
   * Answers 503 to the next {@code count} requests, 204 after them: {@link Integer#MAX_VALUE} keeps
   * refusing until the test calls this again; 0 takes every request from now on.
   */
  public void refuse(int count) {
    refuse.set(count);
  }

  /** Where the webhook listens: {@code http://127.0.0.1:PORT/hook}. */
  public URI url() {
    return URI.create(
        "http://"
            + server.getAddress().getAddress().getHostAddress()
            + ":"
            + server.getAddress().getPort()
            + "/hook");
  }

  /** The next request the webhook received, within {@link #LIMIT}. */
  public Delivery next() throws InterruptedException {
    return next(() -> "");
  }

  /**
   * The next request the webhook received, within {@link #LIMIT}.
   *
   * @param context what the failure says if none comes (the server's output, say)
   * @throws AssertionError if none comes
   */
  public Delivery next(Supplier<String> context) throws InterruptedException {
    Delivery delivery = deliveries.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    if (delivery == null) {
      throw new AssertionError(
          "the webhook received no request within " + LIMIT + "\n" + context.get());
    }
    return delivery;
  }

  /** The requests received and not yet taken by {@link #next}. */
  public List<Delivery> pending() {
    return new ArrayList<>(deliveries);
  }

  /** {@code sha256=HEX}: the signature the server puts on {@code body} with {@code secret}. */
  public static String hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no HmacSHA256 in this JDK", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
