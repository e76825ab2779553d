package io.jsplice.fleet.server.feed;

import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedState;
import io.jsplice.fleet.api.FeedStatus;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.UpdateVerifier;
import io.jsplice.fleet.server.store.Advisories;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.FeedCandidates;
import io.jsplice.fleet.server.store.MavenVersions;
import io.jsplice.fleet.server.store.NewUpdate;
import io.jsplice.fleet.server.store.UpdateDescriptors;
import io.jsplice.fleet.server.store.Updates;
import io.jsplice.model.Update;
import io.jsplice.model.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic feed, Ksplice's "we build the updates for you": it watches the releases the fleet's
 * inventory says are loaded, and when the Maven repository has a newer release of the same line
 * (same major version), builds the update from the pair with the {@code create} engine and signs it
 * with the feed's key ({@link UpdateFactory}). It publishes the update when its own analysis says
 * it applies live and puts its whole fix in force; otherwise it files it as "needs review" with the
 * analysis and the reason, for an admin to publish, dismiss or rebuild by hand (reduced with {@code
 * --classes}, or with a hook).
 *
 * <p>The server verifies what the feed signed like any upload, so the feed's certificate must be
 * among its {@code --trust}. Checks run every interval and at once on {@link #checkSoon} (the
 * admin's "check now"), on one thread; several servers sharing a database build each pair once.
 */
public final class Feed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
  static final AuditLog.Actor ACTOR = new AuditLog.Actor("feed", null);

  private final UpdateFactory factory;
  private final FeedCandidates candidates;
  private final Updates updates;
  private final UpdateVerifier verifier;
  private final Advisories advisories;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();

  /**
   * @param factory the builder; null when this server runs no feed (its candidates can still be
   *     reviewed)
   */
  public Feed(
      UpdateFactory factory,
      FeedCandidates candidates,
      Updates updates,
      UpdateVerifier verifier,
      Advisories advisories) {
    this.factory = factory;
    this.candidates = candidates;
    this.updates = updates;
    this.verifier = verifier;
    this.advisories = advisories;
    this.thread =
        factory == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "jsplice-feed");
                  t.setDaemon(true);
                  return t;
                });
  }

  /** Checks every {@code interval}, the first time now. */
  public void start(Duration interval) {
    if (thread != null) {
      thread.scheduleWithFixedDelay(
          this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Checks as soon as the feed's thread is free (the admin's "check now").
   *
   * @throws ApiException {@code CONFLICT} when this server runs no feed
   */
  public void checkSoon() {
    if (thread == null) {
      throw ApiException.conflict(
          "this server runs no feed; start it with --feed-key (and --feed-repository)");
    }
    if (queued.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            queued.set(false);
            checkQuietly();
          });
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.error("the feed's check failed", e);
      candidates.checked(Instant.now(), e.toString());
    }
  }

  /** One check: every release loaded, its newer release, the updates to build. */
  void check() {
    List<String[]> watched = candidates.watched();
    Map<String, List<String>> versions = new HashMap<>();
    List<String> errors = new ArrayList<>();
    for (String[] release : watched) {
      String library = release[0] + ":" + release[1];
      List<String> known = versions.get(library);
      if (known == null) {
        try {
          known = factory.versions(release[0], release[1]);
        } catch (Exception e) {
          errors.add(library + ": " + e.getMessage());
          known = List.of();
        }
        versions.put(library, known);
      }
      Optional<String> newer = MavenVersions.newestInLine(release[2], known);
      if (newer.isPresent()) {
        consider(release[0], release[1], release[2], newer.get());
      }
    }
    candidates.checked(Instant.now(), errors.isEmpty() ? null : String.join("; ", errors));
  }

  private void consider(String groupId, String artifactId, String from, String to) {
    if (candidates.publishedFor(groupId, artifactId, from, to)) {
      return; // an admin published this pair by hand
    }
    String id = id(artifactId, from, to);
    List<String> cves = advisories.fixedBy(groupId, artifactId, from, to);
    if (!candidates.claim(id, groupId, artifactId, from, to, cves)) {
      return;
    }
    LOG.info("the feed builds {}: {}:{} {} -> {}", id, groupId, artifactId, from, to);
    UpdateFactory.Built built;
    NewUpdate verified;
    try {
      built =
          factory.build(
              id,
              artifactId
                  + " "
                  + from
                  + " -> "
                  + to
                  + (cves.isEmpty() ? "" : " (" + String.join(", ", cves) + ")")
                  + ", built by the feed from "
                  + groupId
                  + ":"
                  + artifactId
                  + ":"
                  + to,
              groupId,
              artifactId,
              from,
              to,
              cves);
      verified = verifier.verify(built.signed());
    } catch (ApiException e) {
      fail(
          id,
          "the server refuses what the feed signed: "
              + e.getMessage()
              + " (give the feed key's certificate to --trust)");
      return;
    } catch (Exception e) {
      fail(id, "cannot build it: " + e.getMessage());
      return;
    }
    Update update = verified.update();
    String inForce = UpdateDescriptors.inForce(update);
    Verdict verdict = update.applicability().verdict();
    Optional<String> review = review(update, inForce);
    if (review.isPresent()) {
      candidates.settle(
          id,
          FeedState.NEEDS_REVIEW,
          verdict.name(),
          inForce,
          built.tripwires(),
          review.get(),
          verified.sha256(),
          verified.bytes());
      LOG.warn("{} needs review: {}", id, review.get());
      return;
    }
    try {
      updates.publish(verified, ACTOR);
      candidates.settle(
          id,
          FeedState.PUBLISHED,
          verdict.name(),
          inForce,
          built.tripwires(),
          null,
          verified.sha256(),
          null);
      LOG.info("the feed published {}", id);
    } catch (ApiException e) {
      fail(id, "cannot publish it: " + e.getMessage());
    }
  }

  private void fail(String id, String reason) {
    LOG.warn("the feed failed on {}: {}", id, reason);
    candidates.settle(id, FeedState.FAILED, null, null, 0, reason, null, null);
  }

  /**
   * Why an update needs a person before it is published: its own analysis says it does not apply
   * live, or that part of its fix stays out of reach of state built before it. Empty when it is
   * fully automatic and in force.
   */
  static Optional<String> review(Update update, String inForce) {
    Verdict verdict = update.applicability().verdict();
    if (verdict == Verdict.NOT_LIVE) {
      return Optional.of(
          "its analysis says it cannot be applied live: " + first(update.applicability().notes()));
    }
    if (!inForce.equals(UpdateDescriptors.FULL) || verdict != Verdict.LIVE) {
      return Optional.of(
          "by its own analysis it would be only partly in force: "
              + update.applicability().notes().size()
              + " note(s), e.g. "
              + first(update.applicability().notes())
              + "; publish it as it is, or build a reduced one (--classes) or one with a hook");
    }
    return Optional.empty();
  }

  private static String first(List<String> notes) {
    return notes.isEmpty() ? "(no note)" : notes.get(0);
  }

  /** The update id of a pair of releases: {@code ARTIFACT-FROM-to-TO}, as update ids may be. */
  static String id(String artifactId, String from, String to) {
    String id = (artifactId + "-" + from + "-to-" + to).replaceAll("[^A-Za-z0-9._-]", "-");
    return id.length() > 120 ? id.substring(0, 120) : id;
  }

  /** An admin publishes a candidate waiting for review, as the feed built and signed it. */
  public PublishReceipt publish(String id, AuditLog.Actor actor) {
    FeedCandidate candidate = candidates.get(id);
    if (candidate.state() != FeedState.NEEDS_REVIEW) {
      throw ApiException.conflict(
          id
              + " is "
              + candidate.state()
              + ": only an update waiting for review is published here");
    }
    byte[] bytes =
        candidates
            .content(id)
            .orElseThrow(() -> ApiException.conflict(id + " has no signed file any more"));
    PublishReceipt receipt = updates.publish(verifier.verify(bytes), actor);
    candidates.published(id, actor);
    return receipt;
  }

  public FeedStatus status() {
    Object[] last = candidates.lastCheck();
    return new FeedStatus(
        factory != null,
        factory == null ? null : factory.repository(),
        candidates.watched().size(),
        (Instant) last[0],
        (String) last[1],
        candidates.list());
  }

  /** The signed file of a candidate (waiting for review) or of the update it became. */
  public byte[] content(String id) {
    Optional<byte[]> waiting = candidates.content(id);
    return waiting.isPresent() ? waiting.get() : updates.content(id);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
