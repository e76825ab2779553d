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
 * #RETRY}. A first start forwards the events that arrive from then on.
 *
 * <p>Sequence numbers are taken when a report's transaction inserts its events, and transactions
 * commit in any order: the mark may pass a number whose event is not committed yet. So each number
 * the mark passed without an event (a hole) is looked for again at every delivery, for {@link
 * #HOLE_WAIT} (far longer than a report's transaction), at most {@value #MAX_HOLES} of them, and an
 * event found there is sent then, after later ones. Holes are kept in memory: a restart forgets
 * them. Several servers sharing a database each forward every event (the receiver dedups by {@code
 * seq}). One thread of its own, so a slow target delays nothing else.
 */
public final class EventForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventForwarder.class);
  static final int BATCH = 100;
  static final Duration RETRY = Duration.ofSeconds(30);
  static final Duration HOLE_WAIT = Duration.ofMinutes(10);
  static final int MAX_HOLES = 1000;

  private final EventTarget target;
  private final Events events;
  private final Path markFile;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  private long mark;
  private volatile boolean failing;

  /** Holes the mark passed, by sequence number, with when each was seen; forwarder thread only. */
  private final java.util.SortedMap<Long, Long> holes = new java.util.TreeMap<>();

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
    if (!deliverLate()) {
      return;
    }
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
      noteHoles(mark, page.events());
      mark = page.next();
      save();
    }
  }

  /**
   * Sends the events that appeared in holes, and forgets the holes still empty after {@link
   * #HOLE_WAIT}; false when the target refused them (they stay holes, however long it refuses).
   */
  private boolean deliverLate() {
    List<Long> all = List.copyOf(holes.keySet());
    for (int from = 0; from < all.size(); from += BATCH) {
      List<FleetEvent> found = events.bySeq(all.subList(from, Math.min(all.size(), from + BATCH)));
      List<FleetEvent> taken = found.stream().filter(e -> target.forwards(e.kind())).toList();
      if (!taken.isEmpty() && !send(taken)) {
        return false;
      }
      found.forEach(e -> holes.remove(e.seq()));
    }
    long now = System.nanoTime();
    holes.values().removeIf(seen -> now - seen > HOLE_WAIT.toNanos());
    return true;
  }

  /** Notes the numbers between {@code after} and the last of {@code page} that have no event. */
  private void noteHoles(long after, List<FleetEvent> page) {
    long now = System.nanoTime();
    long expected = after + 1;
    for (FleetEvent event : page) {
      for (long seq = expected; seq < event.seq() && holes.size() < MAX_HOLES; seq++) {
        holes.put(seq, now);
      }
      expected = event.seq() + 1;
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
