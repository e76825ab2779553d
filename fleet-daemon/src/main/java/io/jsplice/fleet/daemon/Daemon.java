package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.UpdateTarget;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.api.client.Polled;
import io.jsplice.fleet.daemon.agents.AgentAccess;
import io.jsplice.fleet.daemon.agents.AgentAccessException;
import io.jsplice.fleet.daemon.agents.ManagedJvm;
import io.jsplice.fleet.daemon.health.HealthGate;
import io.jsplice.fleet.daemon.state.Blocked;
import io.jsplice.fleet.daemon.state.CachedList;
import io.jsplice.fleet.daemon.state.Identity;
import io.jsplice.fleet.daemon.state.Ledger;
import io.jsplice.fleet.daemon.state.Outbox;
import io.jsplice.fleet.daemon.state.StateDirectory;
import io.jsplice.fleet.daemon.state.TripwireMarks;
import io.jsplice.fleet.daemon.state.UnsafeStateException;
import io.jsplice.fleet.daemon.state.Watched;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.TrustFileOwners;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.protocol.message.TripwiresReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host daemon: every interval (or at once, when {@code STATE/poll-now} appears) it finds the
 * local JVMs it manages, reports what each runs, polls the server for the update list
 * (conditionally), and applies each approved update to each JVM that loaded the release it targets,
 * after checking the package against its own trusted keys.
 *
 * <p>What it guarantees: an update is applied at most once to one run of a JVM (the agent's own
 * reapplication and an operator's undo are respected, see {@link Ledger}); a deactivated, pending
 * or removed host applies nothing and logs why; while the server is unreachable it backs off, keeps
 * applying the list it holds (to JVMs that restart, say) and keeps its events until a report is
 * acknowledged; a JVM that exits or hangs during an apply costs that JVM's apply, not the daemon.
 *
 * <p>Single-threaded: one loop calls {@link #cycle}.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger("jsplice.daemon");
  private static final Duration HEARTBEAT = Duration.ofHours(1);
  private static final Duration POLL_NOW_CHECK = Duration.ofMillis(200);

  /** Tries for an update the JVM could not take yet (busy, agent unreachable) before giving up. */
  static final int MAX_ATTEMPTS = 5;

  private final DaemonConfig config;
  private final StateDirectory state;
  private final AgentAccess agents;
  private final ServerLink server;
  private final Packages packages;
  private final String machineId;
  private final String hostname;
  private final String version;
  private final Ledger ledger;
  private final Outbox outbox;
  private final Set<String> rejected = new HashSet<>();
  private final Set<String> awaitingApproval = new HashSet<>();
  private final HealthWatch health;
  private final TripwireMarks tripwires;
  private Map<String, ManagedJvm> discovered = Map.of();
  private CachedList cached;
  private boolean mayApply;
  private HostState hostState;
  private String stateMessage;
  private String reported;
  private Instant reportedAt;
  private long cycle;

  private Daemon(
      DaemonConfig config,
      StateDirectory state,
      AgentAccess agents,
      TrustedKeys trusted,
      Ledger ledger,
      Outbox outbox,
      CachedList cached,
      HealthGate gate,
      Watched watched,
      Blocked blocked,
      TripwireMarks tripwires) {
    this.config = config;
    this.tripwires = tripwires;
    this.state = state;
    this.agents = agents;
    this.server = new ServerLink(config, state);
    this.packages = new Packages(state, trusted);
    this.ledger = ledger;
    this.outbox = outbox;
    this.cached = cached;
    this.mayApply = cached != null;
    this.machineId = firstLine(Path.of("/etc/machine-id"));
    this.hostname = hostname();
    String implementation = Daemon.class.getPackage().getImplementationVersion();
    this.version = implementation == null ? "development" : implementation;
    this.health =
        new HealthWatch(
            gate,
            agents,
            ledger,
            watched,
            blocked,
            (kind, jvmKey, pid, updateId, cause, message) ->
                outbox.add(
                    new HostEvent(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        kind,
                        jvmKey,
                        pid,
                        updateId,
                        cause,
                        message)));
  }

  /**
   * Opens the state directory and the trusted keys; enrols at the first cycle if needed.
   *
   * @throws DaemonException with a one-line reason
   */
  public static Daemon open(DaemonConfig config, AgentAccess agents) throws DaemonException {
    return open(config, agents, HealthGate.aliveOnly(HealthGate.DEFAULT_WATCH));
  }

  /**
   * Like {@link #open(DaemonConfig, AgentAccess)}, with a health gate for the JVMs it patches.
   *
   * @throws DaemonException with a one-line reason
   */
  public static Daemon open(DaemonConfig config, AgentAccess agents, HealthGate gate)
      throws DaemonException {
    StateDirectory state;
    try {
      state = StateDirectory.open(config.state());
    } catch (UnsafeStateException e) {
      throw new DaemonException("refusing the state directory: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DaemonException(
          "cannot use the state directory " + config.state() + ": " + e.getMessage(), e);
    }
    TrustedKeys trusted;
    try {
      TrustFileOwners.check(config.trust(), "the daemon");
      trusted = TrustedKeys.load(config.trust());
    } catch (IOException e) {
      throw new DaemonException("cannot read --trust: " + e.getMessage(), e);
    }
    try {
      return new Daemon(
          config,
          state,
          agents,
          trusted,
          state.readJson(Ledger.FILE, Ledger.class).orElse(Ledger.empty()),
          state.readJson(Outbox.FILE, Outbox.class).orElse(Outbox.empty()),
          state.readJson(CachedList.FILE, CachedList.class).orElse(null),
          gate,
          state.readJson(Watched.FILE, Watched.class).orElse(Watched.empty()),
          state.readJson(Blocked.FILE, Blocked.class).orElse(Blocked.empty()),
          state.readJson(TripwireMarks.FILE, TripwireMarks.class).orElse(TripwireMarks.empty()));
    } catch (IOException e) {
      throw new DaemonException(
          "cannot read the daemon's state in " + config.state() + ": " + e.getMessage(), e);
    }
  }

  public StateDirectory state() {
    return state;
  }

  /** Runs {@link #cycle} every interval until {@code stop} is set. */
  public void run(AtomicBoolean stop) {
    while (!stop.get()) {
      try {
        cycle();
      } catch (IOException | RuntimeException e) {
        LOG.error("poll {} failed: {}", cycle, e.toString(), e);
      }
      if (!await(stop)) {
        return;
      }
    }
  }

  /** Waits out the interval; returns false if stopped or interrupted. */
  private boolean await(AtomicBoolean stop) {
    Instant until = Instant.now().plus(config.interval());
    while (!stop.get()) {
      if (Files.exists(state.pollNow())) {
        try {
          Files.deleteIfExists(state.pollNow());
        } catch (IOException ignored) {
          // polled anyway
        }
        server.resetBackoff();
        return true;
      }
      if (!Instant.now().isBefore(until)) {
        return true;
      }
      try {
        Thread.sleep(POLL_NOW_CHECK.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** A JVM the daemon manages and what it last read of it. */
  private record Observed(ManagedJvm jvm, JvmInventory inventory) {}

  /** One poll: inventory, report, update list, applies, status. */
  public DaemonStatus cycle() throws IOException {
    cycle++;
    Instant now = Instant.now();
    List<String> applied = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Identity identity = identity(now);
    Map<String, Observed> jvms = observe();
    reconcile(jvms);
    health.check(discovered, Instant.now());
    readTripwires(jvms);
    UpdateList list = null;
    if (identity != null) {
      if (server.mayCall(now)) {
        report(jvms, false);
      }
      if (server.mayCall(now)) {
        list = poll();
      }
      if (list == null && mayApply && cached != null) {
        list = cached.list();
      }
    }
    if (list != null && mayApply) {
      Set<String> touched = withdraw(list, jvms);
      touched.addAll(apply(list, jvms, applied, failed));
      if (!touched.isEmpty()) {
        jvms = observe();
        reconcile(jvms);
        if (identity != null && server.mayCall(Instant.now())) {
          report(jvms, true);
        }
      }
    }
    state.writeJson(Ledger.FILE, ledger);
    state.writeJson(Outbox.FILE, outbox);
    state.writeJson(Watched.FILE, health.watched());
    state.writeJson(Blocked.FILE, health.blocked());
    state.writeJson(TripwireMarks.FILE, tripwires);
    DaemonStatus status = status(identity, jvms, applied, failed);
    state.writeJson(DaemonStatus.FILE, status);
    return status;
  }

  private Identity identity(Instant now) throws IOException {
    Identity identity = server.identity();
    if (identity != null || !server.mayCall(now)) {
      return identity;
    }
    try {
      identity = server.enrol(machineId, hostname);
      server.reached();
      LOG.info("enrolled as {} with {}", identity.name(), config.server());
      return identity;
    } catch (FleetException e) {
      if (e.transientFailure()) {
        Duration wait = server.unreachable(e, now);
        LOG.warn("cannot enrol yet: {}; trying again in {} s", e.getMessage(), wait.toSeconds());
      } else {
        server.unreachable(e, now); // back off: the same request would be refused again
        LOG.error("the server refused to enrol {}: {}", config.name(), e.getMessage());
      }
      return null;
    }
  }

  /** The managed JVMs and what each runs; a JVM that cannot be read now is left out. */
  private Map<String, Observed> observe() {
    Map<String, Observed> out = new LinkedHashMap<>();
    Set<String> live = new HashSet<>();
    Map<String, ManagedJvm> found = new LinkedHashMap<>();
    for (ManagedJvm jvm : agents.discover()) {
      live.add(jvm.key());
      found.put(jvm.key(), jvm);
      try {
        out.put(jvm.key(), new Observed(jvm, agents.inventory(jvm)));
      } catch (AgentAccessException e) {
        if (!e.jvmGone()) {
          LOG.warn("cannot read what {} runs: {}", jvm.display(), e.getMessage());
        }
      }
    }
    ledger.retain(live); // a JVM that could not be read now keeps its history
    discovered = found;
    return out;
  }

  /**
   * Turns the exploit attempts that patched code blocked in each JVM with an update in force into
   * {@link EventKind#TRIPWIRE} events for the next report: one per recorded hit (the CVE as cause,
   * the site and the agent's sanitized detail as message), and one that counts the hits the agent
   * did not record (over its rate or its buffer). Only JVMs whose agent runs are asked.
   */
  private void readTripwires(Map<String, Observed> jvms) {
    tripwires.retain(discovered.keySet());
    for (Observed o : jvms.values()) {
      if (o.inventory().updates().isEmpty()) {
        continue; // no update in force: no tripwire can fire
      }
      ManagedJvm jvm = o.jvm();
      TripwireMarks.Mark mark = tripwires.get(jvm.key());
      TripwiresReply reply;
      try {
        reply = agents.tripwires(jvm, mark.after());
      } catch (AgentAccessException e) {
        if (!e.jvmGone()) {
          LOG.warn("cannot read the tripwires of {}: {}", jvm.display(), e.getMessage());
        }
        continue;
      }
      for (TripwiresReply.Hit hit : reply.hits()) {
        String message =
            "exploit attempt blocked by "
                + hit.updateId()
                + (hit.cve() == null ? "" : " (" + hit.cve() + ")")
                + " in "
                + jvm.display()
                + " at "
                + hit.site()
                + " on thread "
                + hit.thread()
                + (hit.detail() == null || hit.detail().isEmpty() ? "" : ": " + hit.detail());
        LOG.warn("{}", message);
        outbox.add(
            new HostEvent(
                tripwireEventId(jvm, hit.seq()),
                at(hit.at()),
                EventKind.TRIPWIRE,
                jvm.key(),
                jvm.pid(),
                hit.updateId(),
                hit.cve(),
                message.length() > 1000 ? message.substring(0, 1000) : message));
      }
      long missed = reply.suppressed() - mark.suppressed();
      if (missed > 0) {
        event(
            EventKind.TRIPWIRE,
            jvm,
            null,
            null,
            missed
                + " more exploit attempt(s) blocked in "
                + jvm.display()
                + " were not recorded one by one (over the agent's rate)");
      }
      tripwires.put(
          jvm.key(),
          new TripwireMarks.Mark(
              Math.max(mark.after(), reply.next()),
              Math.max(mark.suppressed(), reply.suppressed())));
    }
  }

  /** The same id for the same hit of the same JVM run, however often it is read. */
  private String tripwireEventId(ManagedJvm jvm, long seq) {
    return UUID.nameUUIDFromBytes(
            ("tripwire\0" + machineId + "\0" + state.dir() + "\0" + jvm.key() + "\0" + seq)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static Instant at(String iso) {
    try {
      return Instant.parse(iso);
    } catch (RuntimeException e) {
      return Instant.now();
    }
  }

  /** Brings the ledger in line with what the JVMs run, and records what changed without us. */
  private void reconcile(Map<String, Observed> jvms) {
    for (Observed o : jvms.values()) {
      String key = o.jvm().key();
      for (JvmUpdate update : o.inventory().updates()) {
        Ledger.Entry entry = ledger.get(key, update.id());
        if (entry == null) {
          ledger.put(
              key, update.id(), new Ledger.Entry(Ledger.Outcome.FOUND, 0, Instant.now(), null));
          if (update.reapplied()) {
            LOG.info(
                "{} is in force in {}: its agent reapplied it as the JVM started; not applying it again",
                update.id(),
                o.jvm().display());
            event(
                EventKind.REAPPLIED_BY_AGENT,
                o.jvm(),
                update.id(),
                null,
                update.id() + " reapplied by the agent of " + o.jvm().display() + " as it started");
          }
        } else if (entry.outcome() == Ledger.Outcome.RETRY
            || entry.outcome() == Ledger.Outcome.FAILED) {
          // An apply that timed out went through after all.
          ledger.put(
              key,
              update.id(),
              new Ledger.Entry(Ledger.Outcome.APPLIED, entry.attempts(), Instant.now(), null));
          LOG.info("{} is in force in {} after an earlier attempt", update.id(), o.jvm().display());
          event(
              EventKind.APPLIED,
              o.jvm(),
              update.id(),
              null,
              "applied "
                  + update.id()
                  + " to "
                  + o.jvm().display()
                  + " (after an earlier attempt)");
        }
      }
      Map<String, Ledger.Entry> known = ledger.entries().getOrDefault(key, Map.of());
      for (Map.Entry<String, Ledger.Entry> e : new ArrayList<>(known.entrySet())) {
        Ledger.Outcome outcome = e.getValue().outcome();
        boolean wasInForce = outcome == Ledger.Outcome.APPLIED || outcome == Ledger.Outcome.FOUND;
        if (wasInForce && !o.inventory().hasApplied(e.getKey())) {
          ledger.put(
              key,
              e.getKey(),
              new Ledger.Entry(
                  Ledger.Outcome.UNDONE, e.getValue().attempts(), Instant.now(), null));
          LOG.warn(
              "{} is no longer in force in {}: someone undid it; not applying it again to this JVM",
              e.getKey(),
              o.jvm().display());
          event(
              EventKind.UNDONE_BY_OPERATOR,
              o.jvm(),
              e.getKey(),
              null,
              e.getKey() + " was undone in " + o.jvm().display() + "; the daemon leaves it undone");
        }
      }
    }
  }

  /** Sends the inventory and the pending events, if anything changed or {@code force}. */
  private void report(Map<String, Observed> jvms, boolean force) {
    List<JvmInventory> inventory = jvms.values().stream().map(Observed::inventory).toList();
    String fingerprint = inventory.toString();
    boolean due =
        force
            || !outbox.events().isEmpty()
            || !fingerprint.equals(reported)
            || reportedAt == null
            || reportedAt.plus(HEARTBEAT).isBefore(Instant.now());
    if (!due) {
      return;
    }
    List<HostEvent> events = List.copyOf(outbox.events());
    HostReport report =
        new HostReport(UUID.randomUUID().toString(), Instant.now(), version, inventory, events);
    try {
      server.report(report);
      server.reached();
      outbox.acknowledged(events);
      reported = fingerprint;
      reportedAt = Instant.now();
    } catch (FleetException e) {
      serverFailure("report", e);
    } catch (IOException e) {
      LOG.error("cannot report: {}", e.getMessage());
    }
  }

  /** The update list: fresh, unchanged (the cached one), or null when refused or unreachable. */
  private UpdateList poll() {
    try {
      Polled<UpdateList> polled = server.updates(cached == null ? null : cached.etag());
      server.reached();
      if (polled.modified()) {
        cached = new CachedList(polled.etag(), polled.value(), Instant.now());
        state.writeJson(CachedList.FILE, cached);
      }
      standing(HostState.ACTIVE, null);
      return cached.list();
    } catch (FleetException e) {
      serverFailure("poll", e);
      return null;
    } catch (IOException e) {
      LOG.error("cannot poll: {}", e.getMessage());
      return null;
    }
  }

  private void serverFailure(String what, FleetException e) {
    Instant now = Instant.now();
    if (e.transientFailure()) {
      boolean first = server.reachable();
      Duration wait = server.unreachable(e, now);
      if (first) {
        LOG.warn(
            "{}: {}; trying again in {} s{}",
            what,
            e.getMessage(),
            wait.toSeconds(),
            mayApply && cached != null ? ", applying from the update list it holds" : "");
      } else {
        LOG.debug("{} failed again: {}", what, e.getMessage());
      }
      return;
    }
    server.reached();
    if (e.is(ErrorCode.HOST_DEACTIVATED)) {
      standing(HostState.DEACTIVATED, e.getMessage());
    } else if (e.is(ErrorCode.HOST_PENDING)) {
      standing(HostState.PENDING, e.getMessage());
    } else if (e.kind() == FleetException.Kind.UNAUTHENTICATED) {
      standing(
          null,
          "the server does not know this host any more (an admin removed it?): "
              + e.getMessage()
              + "; to rejoin, delete "
              + state.file(Identity.FILE)
              + " and restart the daemon");
    } else {
      LOG.error("the server refused the {}: {}", what, e.getMessage());
    }
  }

  /** Records what the server said of the host; logs each change once. */
  private void standing(HostState newState, String message) {
    boolean active = newState == HostState.ACTIVE;
    boolean changed = newState != hostState || (message != null && !message.equals(stateMessage));
    if (!active) {
      mayApply = false;
      cached = null;
      try {
        Files.deleteIfExists(state.file(CachedList.FILE));
      } catch (IOException e) {
        LOG.warn("cannot forget the cached update list: {}", e.getMessage());
      }
    } else {
      mayApply = true;
    }
    if (changed) {
      if (active) {
        if (hostState != null) {
          LOG.info("the server lists updates for this host again: applying them");
        }
      } else {
        LOG.warn("{}: applying nothing", message);
        event(
            EventKind.SKIPPED_DEACTIVATED,
            null,
            null,
            newState == null ? "UNKNOWN_HOST" : newState.name(),
            "applying nothing: " + message);
      }
    }
    hostState = newState;
    stateMessage = active ? null : message;
  }

  /** Applies what the list allows; returns the keys of the JVMs it changed or tried to. */
  private Set<String> apply(
      UpdateList list, Map<String, Observed> jvms, List<String> applied, List<String> failed) {
    Set<String> touched = new HashSet<>();
    Map<String, Set<String>> inForce = new LinkedHashMap<>();
    jvms.forEach(
        (key, o) -> {
          Set<String> ids = new HashSet<>();
          o.inventory().updates().forEach(u -> ids.add(u.id()));
          inForce.put(key, ids);
        });
    for (AvailableUpdate update : list.updates()) {
      List<Observed> targets = new ArrayList<>();
      for (Observed o : jvms.values()) {
        if (!loadsTarget(update, o.inventory())
            || inForce.get(o.jvm().key()).contains(update.id())) {
          continue;
        }
        if (update.withdrawn()) {
          continue;
        }
        Ledger.Entry entry = ledger.get(o.jvm().key(), update.id());
        if (entry != null
            && entry.outcome() != Ledger.Outcome.RETRY
            && entry.outcome() != Ledger.Outcome.ROLLED_BACK
            && !(acceptsLeftOut(list, update) && refusedForLeavingOut(entry))) {
          continue;
        }
        if (update.approved() && health.blocks(o.jvm(), update.id())) {
          blocked(o.jvm(), update.id());
          continue;
        }
        if (!inForce.get(o.jvm().key()).containsAll(update.requires())) {
          continue;
        }
        targets.add(o);
      }
      if (targets.isEmpty()) {
        continue;
      }
      if (!update.approved()) {
        if (awaitingApproval.add(update.id())) {
          LOG.info(
              "{} is not released to this host yet: group {} waits for an admin's approval, or"
                  + " its rollout has not reached this host's ring or is paused ({} JVM(s) here"
                  + " need it)",
              update.id(),
              list.group(),
              targets.size());
        }
        continue;
      }
      Path file = packageOf(update);
      if (file == null) {
        continue;
      }
      for (Observed o : targets) {
        touched.add(o.jvm().key());
        if (applyTo(o.jvm(), update, file, list, applied, failed)) {
          inForce.get(o.jvm().key()).add(update.id());
        }
      }
    }
    return touched;
  }

  /**
   * Whether the host applies {@code update} though it leaves out classes of the fixed release: its
   * group's policy accepts that for every update, or an admin accepted it for this one (in the
   * group or everywhere). Only the classes left out, never state built before the update.
   */
  static boolean acceptsLeftOut(UpdateList list, AvailableUpdate update) {
    return list.acceptLeftOut() || update.acceptLeftOut();
  }

  /**
   * Whether the JVM refused the update for the classes it leaves out: final while neither the
   * group's policy nor an admin's decision for this update accepts that, tried again once one does.
   */
  private static boolean refusedForLeavingOut(Ledger.Entry entry) {
    return entry.outcome() == Ledger.Outcome.FAILED
        && HostEvent.CLASSES_LEFT_OUT.equals(entry.cause());
  }

  static boolean loadsTarget(AvailableUpdate update, JvmInventory jvm) {
    for (UpdateTarget target : update.targets()) {
      for (LoadedArtifact artifact : jvm.artifacts()) {
        if (target.matches(artifact)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A verified local copy of the update's package, downloading it if needed; null if none. */
  private Path packageOf(AvailableUpdate update) {
    if (rejected.contains(update.sha256())) {
      return null;
    }
    try {
      Path file = packages.cached(update);
      if (file != null) {
        packages.verify(update, file);
        return file;
      }
      if (!server.mayCall(Instant.now())) {
        return null;
      }
      byte[] bytes;
      try {
        bytes = server.download(update.id());
        server.reached();
      } catch (FleetException e) {
        serverFailure("download of " + update.id(), e);
        return null;
      }
      return packages.keep(update, bytes);
    } catch (Packages.PackageRejectedException e) {
      rejected.add(update.sha256());
      LOG.error("refusing {}: {}", update.id(), e.getMessage());
      event(EventKind.APPLY_FAILED, null, update.id(), e.failureCause(), e.getMessage());
      return null;
    } catch (IOException e) {
      LOG.error("cannot keep the package of {}: {}", update.id(), e.getMessage());
      return null;
    }
  }

  private boolean applyTo(
      ManagedJvm jvm,
      AvailableUpdate update,
      Path file,
      UpdateList list,
      List<String> applied,
      List<String> failed) {
    Ledger.Entry before = ledger.get(jvm.key(), update.id());
    int attempts = (before == null ? 0 : before.attempts()) + 1;
    try {
      io.jsplice.fleet.daemon.health.Readings healthBefore = health.before(jvm);
      agents.apply(jvm, file, update.id(), acceptsLeftOut(list, update));
      ledger.put(
          jvm.key(),
          update.id(),
          new Ledger.Entry(Ledger.Outcome.APPLIED, attempts, Instant.now(), null));
      applied.add(update.id() + " to " + jvm.pid());
      LOG.info("applied {} to {}", update.id(), jvm.display());
      event(
          EventKind.APPLIED,
          jvm,
          update.id(),
          null,
          "applied " + update.id() + " to " + jvm.display());
      return health.applied(jvm, update.id(), healthBefore);
    } catch (AgentAccessException e) {
      if (e.jvmGone()) {
        LOG.info(
            "{} exited while {} was being applied; nothing to do for it",
            jvm.display(),
            update.id());
        return false;
      }
      if (e.failure() == FailureCause.WRONG_STATE) {
        ledger.put(
            jvm.key(),
            update.id(),
            new Ledger.Entry(Ledger.Outcome.FOUND, attempts, Instant.now(), null));
        return true;
      }
      if (e.leftOut() != null) {
        leftOut(jvm, update, list, attempts, e, failed);
        return false;
      }
      boolean giveUp = !e.transientFailure() || attempts >= MAX_ATTEMPTS;
      ledger.put(
          jvm.key(),
          update.id(),
          new Ledger.Entry(
              giveUp ? Ledger.Outcome.FAILED : Ledger.Outcome.RETRY,
              attempts,
              Instant.now(),
              e.failure().name()));
      failed.add(update.id() + " to " + jvm.pid() + ": " + e.failure());
      LOG.warn(
          "could not apply {} to {}: {}: {} ({})",
          update.id(),
          jvm.display(),
          e.failure(),
          e.getMessage(),
          giveUp ? "not tried again for this run of the JVM" : "trying again at the next poll");
      if (giveUp || attempts == 1) {
        event(EventKind.APPLY_FAILED, jvm, update.id(), e.failure().name(), e.getMessage());
      }
      return false;
    }
  }

  /**
   * Records that {@code jvm} refused {@code update} for the classes it leaves out, which the
   * group's policy does not accept: final for this run of the JVM (the same update is refused the
   * same way at every try, unlike objects a request held at that moment), reported once with the
   * classes and what accepts them.
   */
  private void leftOut(
      ManagedJvm jvm,
      AvailableUpdate update,
      UpdateList list,
      int attempts,
      AgentAccessException e,
      List<String> failed) {
    // Tried again once the policy accepts it; not when it did and the agent still refused.
    boolean accepted = acceptsLeftOut(list, update);
    String cause = accepted ? FailureCause.PARTLY_IN_FORCE.name() : HostEvent.CLASSES_LEFT_OUT;
    ledger.put(
        jvm.key(),
        update.id(),
        new Ledger.Entry(Ledger.Outcome.FAILED, attempts, Instant.now(), cause));
    failed.add(update.id() + " to " + jvm.pid() + ": " + HostEvent.CLASSES_LEFT_OUT);
    String message =
        e.getMessage()
            + "; group "
            + list.group()
            + (accepted
                ? " accepts this update's classes left out, but the agent in this JVM does not"
                    + " know that setting (load a newer jsplice agent)"
                : " does not accept updates that leave out classes (for this update: jsplice"
                    + " fleet accept-left-out "
                    + update.id()
                    + " --group "
                    + list.group()
                    + "; for every update: jsplice fleet group "
                    + list.group()
                    + " --policy "
                    + list.policy()
                    + " --accept-left-out true)")
            + ": not tried again in this run of "
            + jvm.display();
    LOG.warn("could not apply {} to {}: {}", update.id(), jvm.display(), message);
    event(EventKind.APPLY_FAILED, jvm, update.id(), HostEvent.CLASSES_LEFT_OUT, message);
  }

  /** Records, once per JVM run, that a blocked update is not applied to it. */
  private void blocked(ManagedJvm jvm, String updateId) {
    if (ledger.get(jvm.key(), updateId) != null) {
      return;
    }
    ledger.put(
        jvm.key(),
        updateId,
        new Ledger.Entry(Ledger.Outcome.BLOCKED, 0, Instant.now(), "JVM_DIED_AFTER_UPDATE"));
    String message =
        "not applying "
            + updateId
            + " to "
            + jvm.display()
            + ": an earlier run of it exited soon after "
            + updateId
            + " (remove it from "
            + state.file(Blocked.FILE)
            + " to allow it)";
    LOG.warn("{}", message);
    event(EventKind.SKIPPED_BLOCKED, jvm, updateId, "JVM_DIED_AFTER_UPDATE", message);
  }

  /**
   * Undoes every update whose rollout was rolled back in every JVM where it is in force; returns
   * the keys of the JVMs it changed or tried to.
   */
  private Set<String> withdraw(UpdateList list, Map<String, Observed> jvms) {
    Set<String> touched = new HashSet<>();
    List<AvailableUpdate> withdrawn =
        new ArrayList<>(list.updates().stream().filter(AvailableUpdate::withdrawn).toList());
    java.util.Collections.reverse(withdrawn); // the latest first: it may require an earlier one
    for (AvailableUpdate update : withdrawn) {
      for (Observed o : jvms.values()) {
        if (!o.inventory().hasApplied(update.id())) {
          continue;
        }
        touched.add(o.jvm().key());
        Ledger.Entry before = ledger.get(o.jvm().key(), update.id());
        try {
          agents.undo(o.jvm(), update.id());
          ledger.put(
              o.jvm().key(),
              update.id(),
              new Ledger.Entry(
                  Ledger.Outcome.ROLLED_BACK,
                  before == null ? 0 : before.attempts(),
                  Instant.now(),
                  null));
          LOG.info("undid {} in {}: its rollout was rolled back", update.id(), o.jvm().display());
          event(
              EventKind.UNDONE_BY_ROLLOUT,
              o.jvm(),
              update.id(),
              null,
              "undid "
                  + update.id()
                  + " in "
                  + o.jvm().display()
                  + ": its rollout was rolled back");
        } catch (AgentAccessException e) {
          LOG.warn(
              "could not undo {} in {} for its rollback: {}: {}",
              update.id(),
              o.jvm().display(),
              e.failure(),
              e.getMessage());
          if (before == null || before.outcome() != Ledger.Outcome.ROLLED_BACK) {
            event(
                EventKind.APPLY_FAILED,
                o.jvm(),
                update.id(),
                e.failure().name(),
                "could not undo " + update.id() + " for its rollback: " + e.getMessage());
          }
        }
      }
    }
    return touched;
  }

  private void event(
      EventKind kind, ManagedJvm jvm, String updateId, String cause, String message) {
    outbox.add(
        new HostEvent(
            UUID.randomUUID().toString(),
            Instant.now(),
            kind,
            jvm == null ? null : jvm.key(),
            jvm == null ? 0 : jvm.pid(),
            updateId,
            cause,
            message));
  }

  private DaemonStatus status(
      Identity identity, Map<String, Observed> jvms, List<String> applied, List<String> failed) {
    List<DaemonStatus.Jvm> managed = new ArrayList<>();
    for (Observed o : jvms.values()) {
      managed.add(
          new DaemonStatus.Jvm(
              o.jvm().pid(),
              o.jvm().key(),
              o.jvm().mainClass(),
              o.inventory().artifacts().stream().map(LoadedArtifact::coordinates).toList(),
              o.inventory().updates().stream().map(JvmUpdate::id).toList()));
    }
    return new DaemonStatus(
        cycle,
        Instant.now(),
        identity == null ? config.name() : identity.name(),
        config.server().toString(),
        hostState,
        stateMessage,
        server.reachable(),
        server.lastError(),
        server.nextAttempt(),
        cached == null ? null : cached.etag(),
        cached == null
            ? List.of()
            : cached.list().updates().stream().map(AvailableUpdate::id).toList(),
        managed,
        outbox.events().size(),
        applied,
        failed);
  }

  private static String firstLine(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? null : text.lines().findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static String hostname() {
    String name = firstLine(Path.of("/proc/sys/kernel/hostname"));
    return name != null ? name : firstLine(Path.of("/etc/hostname"));
  }
}
