package io.jsplice.fleet.server.metrics;

import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.server.store.FleetQueries;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

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

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FleetQueries queries;
  private final Duration silentAfter;
  private final ConcurrentHashMap<String, Timer> requestTimers = new ConcurrentHashMap<>();
  private volatile FleetStatus snapshot;
  private volatile long snapshotAt;

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
    snapshot = fresh;
    snapshotAt = System.nanoTime();
    return fresh;
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
