package io.jsplice.fleet.server.events;

import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.server.store.Events;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the events daemons report (the {@code host_event} table, in sequence order) to one
 * {@link EventTarget}: the kinds it {@link EventTarget#forwards}, oldest first, at most {@value
 * #BATCH} at a time. One forwarder per target, so that a target that is down or slow delays no
 * other.
 *
 * <p>At least once as far as the target's protocol tells: the sequence number of the last event the
 * target took is kept in its mark file in the data directory and moves only when {@link
 * EventTarget#send} returned; a failed send is tried again after each report and every {@link
 * #RETRY}. A first start forwards the events that arrive from then on. Several servers sharing a
 * database each forward every event (the receiver dedups by {@code seq}). One thread of its own, so
 * a slow target delays nothing else.
 */
public final class EventForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventForwarder.class);
  static final int BATCH = 100;
  static final Duration RETRY = Duration.ofSeconds(30);

  private final EventTarget target;
  private final Events events;
  private final Path markFile;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  private long mark;
  private volatile boolean failing;

  public EventForwarder(EventTarget target, Events events, Path dataDir) throws IOException {
    this.target = target;
    this.events = events;
    this.markFile = dataDir.resolve(target.markFile());
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
    String name = "jsplice-" + name();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Whether the target refused the last batch sent to it (until it takes one again). */
  public boolean failing() {
    return failing;
  }

  /**
   * The target's fixed name, for logs and metrics: its mark file's, e.g. {@code events-webhook}.
   */
  public String name() {
    return target.markFile().replace(".mark", "");
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
      LOG.warn("{}: {}", target.describe(), e.toString());
    }
  }

  /** Sends every event the target takes after the mark, batch by batch, until one fails. */
  private void deliver() {
    while (true) {
      EventPage page = events.page(mark, BATCH);
      if (page.events().isEmpty()) {
        return;
      }
      List<FleetEvent> taken =
          page.events().stream().filter(e -> target.forwards(e.kind())).toList();
      if (!taken.isEmpty() && !send(taken)) {
        return;
      }
      mark = page.next();
      save();
    }
  }

  private boolean send(List<FleetEvent> batch) {
    try {
      target.send(batch, events::forwarded);
      if (failing) {
        LOG.info("{} takes events again", target.describe());
        failing = false;
      }
      return true;
    } catch (IOException e) {
      if (!failing) {
        LOG.warn("{}: {}; trying again after the next report", target.describe(), e.getMessage());
        failing = true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void save() {
    try {
      Path next = markFile.resolveSibling(markFile.getFileName() + ".next");
      Files.writeString(next, Long.toString(mark) + "\n", StandardCharsets.UTF_8);
      Files.move(
          next, markFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot keep the mark of {} in {}: {}", target.describe(), markFile, e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
