package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.server.store.Events;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards exploit attempts blocked by patched code ({@link EventKind#TRIPWIRE} events, as daemons
 * report them) to a webhook ({@code jsplice server --tripwire-webhook URL}): a {@code POST} of
 * {@code {"events": [FleetEvent...]}} as JSON, oldest first, at most {@value #BATCH} at a time.
 *
 * <p>At least once: the sequence number of the last event delivered is kept in {@code
 * DATA/tripwire-webhook.mark} and moves only when the webhook answered 2xx; a failed delivery is
 * tried again after each report and every {@link #RETRY}. A first start forwards the events that
 * arrive from then on. Several servers sharing a database each forward every event (the receiver
 * dedups by {@code seq}). One thread of its own, so a slow webhook delays nothing else.
 */
public final class TripwireWebhook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TripwireWebhook.class);
  static final int BATCH = 100;
  static final Duration RETRY = Duration.ofSeconds(30);
  public static final String MARK_FILE = "tripwire-webhook.mark";

  private final URI target;
  private final Events events;
  private final Path markFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jsplice-tripwire-webhook");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  private long mark;
  private boolean failing;

  /**
   * @param target an {@code http:} or {@code https:} URL
   * @throws IllegalArgumentException when it is not one
   */
  public TripwireWebhook(URI target, Events events, Path dataDir) throws IOException {
    if (target.getScheme() == null
        || !(target.getScheme().equals("http") || target.getScheme().equals("https"))
        || target.getHost() == null) {
      throw new IllegalArgumentException(
          "--tripwire-webhook needs an http: or https: URL, not " + target);
    }
    this.target = target;
    this.events = events;
    this.markFile = dataDir.resolve(MARK_FILE);
    if (Files.exists(markFile)) {
      try {
        mark = Long.parseLong(Files.readString(markFile).strip());
      } catch (NumberFormatException e) {
        throw new IOException(markFile + " holds no sequence number; remove it", e);
      }
    } else {
      mark = events.lastSeq();
      save();
    }
  }

  /** Starts the periodic retry. */
  public void start() {
    thread.scheduleWithFixedDelay(this::deliverQuietly, 0, RETRY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Delivers what arrived, soon: called after each stored report. */
  public void wake() {
    if (queued.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            queued.set(false);
            deliverQuietly();
          });
    }
  }

  private void deliverQuietly() {
    try {
      deliver();
    } catch (RuntimeException e) {
      LOG.warn("tripwire webhook: {}", e.toString());
    }
  }

  /** Sends every tripwire event after the mark, batch by batch, until one fails. */
  private void deliver() {
    while (true) {
      EventPage page = events.page(mark, BATCH);
      if (page.events().isEmpty()) {
        return;
      }
      List<FleetEvent> tripwires =
          page.events().stream().filter(e -> e.kind() == EventKind.TRIPWIRE).toList();
      if (!tripwires.isEmpty() && !post(tripwires)) {
        return;
      }
      mark = page.next();
      save();
    }
  }

  private boolean post(List<FleetEvent> batch) {
    try {
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
      if (response.statusCode() / 100 == 2) {
        if (failing) {
          LOG.info("tripwire webhook {} takes events again", target);
          failing = false;
        }
        return true;
      }
      fail("answered " + response.statusCode());
      return false;
    } catch (IOException e) {
      fail(e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void fail(String why) {
    if (!failing) {
      LOG.warn("tripwire webhook {} {}; trying again after the next report", target, why);
      failing = true;
    }
  }

  private void save() {
    try {
      Path next = markFile.resolveSibling(MARK_FILE + ".next");
      Files.writeString(next, Long.toString(mark) + "\n", StandardCharsets.UTF_8);
      Files.move(
          next, markFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot keep the tripwire webhook's mark in {}: {}", markFile, e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
