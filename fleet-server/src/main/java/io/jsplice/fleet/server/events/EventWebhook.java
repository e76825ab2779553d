package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.EventBatch;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remediation events to a webhook ({@code jsplice server --events-webhook URL [--events KIND,...]
 * [--events-webhook-secret-file FILE]}): a {@code POST} of an {@link EventBatch} as JSON, the
 * events of the chosen kinds with their update's CVEs and their host's group; the webhook took them
 * when it answered 2xx. With a secret, each request is signed ({@link
 * EventBatch#SIGNATURE_HEADER}), so that the receiver can tell the server's requests from anyone
 * else's.
 */
public final class EventWebhook implements EventTarget {
  public static final String MARK_FILE = "events-webhook.mark";

  private final URI target;
  private final Set<EventKind> kinds;
  private final byte[] secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param target an {@code http:} or {@code https:} URL
   * @param kinds the kinds it takes; every kind when empty
   * @param secret the HMAC-SHA256 key the requests are signed with; null to sign nothing
   * @throws IllegalArgumentException when {@code target} is no such URL, or the secret is empty
   */
  public EventWebhook(URI target, Set<EventKind> kinds, String secret) {
    if (target.getScheme() == null
        || !(target.getScheme().equals("http") || target.getScheme().equals("https"))
        || target.getHost() == null) {
      throw new IllegalArgumentException(
          "--events-webhook needs an http: or https: URL, not " + target);
    }
    if (secret != null && secret.isEmpty()) {
      throw new IllegalArgumentException("the webhook's secret is empty");
    }
    this.target = target;
    this.kinds = kinds.isEmpty() ? EnumSet.allOf(EventKind.class) : EnumSet.copyOf(kinds);
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String describe() {
    return "events webhook " + target;
  }

  @Override
  public String markFile() {
    return MARK_FILE;
  }

  @Override
  public boolean forwards(EventKind kind) {
    return kinds.contains(kind);
  }

  @Override
  public void send(List<FleetEvent> batch, Details details)
      throws IOException, InterruptedException {
    byte[] body = FleetJson.write(new EventBatch(details.of(batch)));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("User-Agent", "jsplice-server")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (secret != null) {
      request.header(EventBatch.SIGNATURE_HEADER, signature(secret, body));
    }
    HttpResponse<Void> response =
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("answered " + response.statusCode());
    }
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} keyed with {@code secret}. */
  public static String signature(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }
}
