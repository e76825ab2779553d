package io.jsplice.fleet.server.metrics;

import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.server.store.FleetQueries;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * The server's Prometheus metrics ({@code GET /metrics}), through Micrometer:
 *
 * <ul>
 *   <li>{@code jsplice_fleet_hosts{state}}: hosts by state, and {@code state="silent"} for active
 *       hosts not seen for three poll intervals;
 *   <li>{@code jsplice_fleet_jvms{status}}: JVMs in the latest reports, {@code patched}, {@code
 *       vulnerable}, {@code stale}, and {@code all};
 *   <li>{@code jsplice_fleet_updates_published};
 *   <li>{@code jsplice_fleet_update_results_total{outcome}}: applies the daemons reported, {@code
 *       applied} or {@code failed};
 *   <li>{@code jsplice_fleet_tripwire_events_total}: exploit attempts blocked by patched code (the
 *       tripwires of updates) that the daemons reported;
 *   <li>{@code jsplice_fleet_apply_failures_total{cause}}: failed applies the daemons reported, by
 *       cause ({@code RUN_PRE_MISMATCH}, {@code CLASSES_LEFT_OUT}...): at most {@value #MAX_CAUSES}
 *       causes get a label of their own, the rest (and any that is not an upper-case name) count as
 *       {@code OTHER}, so a host cannot make the series grow without bound;
 *   <li>{@code jsplice_fleet_cve_exposed_hosts{cve}} and {@code
 *       jsplice_fleet_cve_exposed_jvms{cve}}: for each CVE a published update names, the hosts and
 *       JVMs that loaded a release one of those updates targets and run none of them (one series
 *       per CVE the admins published a fix for; CVEs known only from imported advisories are left
 *       out, as there can be thousands);
 *   <li>{@code jsplice_fleet_updates_in_force}: (JVM, published update) pairs in force;
 *   <li>{@code jsplice_fleet_event_forwarding_failing{target}}: 1 while a webhook or syslog target
 *       ({@code events-webhook}, {@code tripwire-webhook}, {@code tripwire-syslog}) refuses events;
 *   <li>{@code jsplice_fleet_http_requests_seconds{method,route,status}}: request latency, as a
 *       histogram;
 *   <li>the JVM's memory, GC, threads and CPU.
 * </ul>
 *
 * <p>The fleet counts come from the database, so every server sharing it reports the same numbers;
 * they are recomputed at most every {@link #REFRESH} (a scrape, or {@link #status()}). Thread-safe.
 */
public final class FleetMetrics {
  static final Duration REFRESH = Duration.ofSeconds(10);
  static final int MAX_CAUSES = 32;
  static final String OTHER_CAUSE = "OTHER";
  private static final Pattern CAUSE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FleetQueries queries;
  private final Duration silentAfter;
  private final ConcurrentHashMap<String, Timer> requestTimers = new ConcurrentHashMap<>();
  private volatile FleetStatus snapshot;
  private volatile long snapshotAt;
  private volatile long tripwires;

  /** Failed applies by cause label; labels are added, never removed (counters). */
  private final Map<String, Long> failures = new ConcurrentHashMap<>();

  /** The causes with a label of their own, at most {@value #MAX_CAUSES}; under this's lock. */
  private final java.util.Set<String> causes = new java.util.HashSet<>();

  private final MultiGauge exposedHosts;
  private final MultiGauge exposedJvms;
  private volatile long updatesInForce;

  /**
   * @param silentAfter how long an active host may stay unseen before it counts as silent
   */
  public FleetMetrics(FleetQueries queries, Duration silentAfter) {
    this.queries = queries;
    this.silentAfter = silentAfter;
    gauge("jsplice.fleet.hosts", "state", "active", FleetStatus::hostsActive);
    gauge("jsplice.fleet.hosts", "state", "pending", FleetStatus::hostsPending);
    gauge("jsplice.fleet.hosts", "state", "deactivated", FleetStatus::hostsDeactivated);
    gauge("jsplice.fleet.hosts", "state", "silent", FleetStatus::hostsSilent);
    gauge("jsplice.fleet.jvms", "status", "all", FleetStatus::jvms);
    gauge("jsplice.fleet.jvms", "status", "patched", FleetStatus::jvmsPatched);
    gauge("jsplice.fleet.jvms", "status", "vulnerable", FleetStatus::jvmsVulnerable);
    gauge("jsplice.fleet.jvms", "status", "stale", FleetStatus::jvmsStale);
    Gauge.builder("jsplice.fleet.updates.published", this, m -> m.cached().updates())
        .description("Published updates")
        .register(registry);
    FunctionCounter.builder("jsplice.fleet.update.results", this, m -> m.cached().applied())
        .tag("outcome", "applied")
        .description("Applies the daemons reported")
        .register(registry);
    FunctionCounter.builder("jsplice.fleet.update.results", this, m -> m.cached().failed())
        .tag("outcome", "failed")
        .description("Applies the daemons reported")
        .register(registry);
    FunctionCounter.builder(
            "jsplice.fleet.tripwire.events",
            this,
            m -> {
              m.cached();
              return m.tripwires;
            })
        .description("Exploit attempts blocked by patched code, as the daemons reported them")
        .register(registry);
    exposedHosts =
        MultiGauge.builder("jsplice.fleet.cve.exposed.hosts")
            .description(
                "Hosts with a JVM that loaded a release a fix for the CVE targets, unfixed")
            .register(registry);
    exposedJvms =
        MultiGauge.builder("jsplice.fleet.cve.exposed.jvms")
            .description("JVMs that loaded a release a fix for the CVE targets, without the fix")
            .register(registry);
    Gauge.builder(
            "jsplice.fleet.updates.in.force",
            this,
            m -> {
              m.cached();
              return m.updatesInForce;
            })
        .description("(JVM, published update) pairs in force in the latest reports")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  private void gauge(String name, String tag, String value, ToDoubleFunction<FleetStatus> reading) {
    Gauge.builder(name, this, m -> reading.applyAsDouble(m.cached()))
        .tag(tag, value)
        .register(registry);
  }

  /** The fleet's status, computed now. */
  public FleetStatus status() {
    FleetStatus fresh = queries.status(silentAfter);
    tripwires = queries.tripwireEvents();
    remediation(queries.remediation());
    snapshot = fresh;
    snapshotAt = System.nanoTime();
    return fresh;
  }

  private synchronized void remediation(FleetQueries.Remediation counts) {
    Map<String, Long> byLabel = new HashMap<>();
    counts.applyFailures().forEach((cause, n) -> byLabel.merge(causeLabel(cause), n, Long::sum));
    for (Map.Entry<String, Long> entry : byLabel.entrySet()) {
      if (failures.put(entry.getKey(), entry.getValue()) == null) {
        String label = entry.getKey();
        FunctionCounter.builder(
                "jsplice.fleet.apply.failures", this, m -> m.failures.getOrDefault(label, 0L))
            .tag("cause", label)
            .description("Failed applies the daemons reported, by cause")
            .register(registry);
      }
    }
    List<MultiGauge.Row<?>> hosts = new ArrayList<>();
    List<MultiGauge.Row<?>> jvms = new ArrayList<>();
    for (FleetQueries.CveCount cve : counts.exposed()) {
      hosts.add(MultiGauge.Row.of(Tags.of("cve", cve.cve()), cve.hosts()));
      jvms.add(MultiGauge.Row.of(Tags.of("cve", cve.cve()), cve.jvms()));
    }
    exposedHosts.register(hosts, true);
    exposedJvms.register(jvms, true);
    updatesInForce = counts.updatesInForce();
  }

  /**
   * The label of {@code cause}: itself while it is an upper-case name among the first {@value
   * #MAX_CAUSES}, else {@value #OTHER_CAUSE}.
   */
  private String causeLabel(String cause) {
    if (causes.contains(cause)) {
      return cause;
    }
    if (CAUSE.matcher(cause).matches() && causes.size() < MAX_CAUSES) {
      causes.add(cause);
      return cause;
    }
    return OTHER_CAUSE;
  }

  /**
   * Reports whether an event target fails, as {@code
   * jsplice_fleet_event_forwarding_failing{target}}.
   *
   * @param target a fixed name: {@code events-webhook}, {@code tripwire-webhook}...
   */
  public void eventTarget(String target, BooleanSupplier failing) {
    Gauge.builder("jsplice.fleet.event.forwarding.failing", failing, f -> f.getAsBoolean() ? 1 : 0)
        .tag("target", target)
        .description("1 while the target refuses the events forwarded to it")
        // Micrometer holds a gauge's object weakly: the supplier, referenced nowhere else, was
        // collected and the gauge read NaN (EventWebhookTest, fresh-clone CI).
        .strongReference(true)
        .register(registry);
  }

  private FleetStatus cached() {
    FleetStatus current = snapshot;
    if (current == null || System.nanoTime() - snapshotAt > REFRESH.toNanos()) {
      current = status();
    }
    return current;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    cached();
    return registry.scrape();
  }

  /**
   * Records one request's latency.
   *
   * @param route the route's template ({@code /api/v1/hosts/{name}}), or {@code unmatched}
   */
  public void request(String method, String route, int status, long nanos) {
    requestTimers
        .computeIfAbsent(method + ' ' + status + ' ' + route, key -> timer(method, route, status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registered once per method, route and status: a lookup by key costs every request less. */
  private Timer timer(String method, String route, int status) {
    return Timer.builder("jsplice.fleet.http.requests")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }
}
