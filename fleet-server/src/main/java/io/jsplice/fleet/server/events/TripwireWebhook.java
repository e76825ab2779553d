package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Tripwire events to a webhook ({@code jsplice server --tripwire-webhook URL}): a {@code POST} of
 * {@code {"events": [FleetEvent...]}} as JSON; the webhook took them when it answered 2xx.
 */
public final class TripwireWebhook implements TripwireTarget {
  public static final String MARK_FILE = "tripwire-webhook.mark";

  private final URI target;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param target an {@code http:} or {@code https:} URL
   * @throws IllegalArgumentException when it is not one
   */
  public TripwireWebhook(URI target) {
    if (target.getScheme() == null
        || !(target.getScheme().equals("http") || target.getScheme().equals("https"))
        || target.getHost() == null) {
      throw new IllegalArgumentException(
          "--tripwire-webhook needs an http: or https: URL, not " + target);
    }
    this.target = target;
  }

  @Override
  public String describe() {
    return "tripwire webhook " + target;
  }

  @Override
  public String markFile() {
    return MARK_FILE;
  }

  @Override
  public void send(List<FleetEvent> batch) throws IOException, InterruptedException {
    byte[] body = FleetJson.write(Map.of("events", batch));
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", "jsplice-server")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("answered " + response.statusCode());
    }
  }
}
