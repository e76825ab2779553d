package io.jsplice.fleet.daemon.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's health gate: after it applied an update to a JVM, it watches that JVM for {@code
 * watch}. The JVM must stay alive, and each check that applies to it must hold against the same
 * check read just before the update. A failed check undoes the update there and makes the server
 * pause its rollout everywhere; a JVM that exits while watched is never given that update again by
 * this daemon (Livepatch's rule); one that stays healthy for the whole watch passes.
 *
 * @param checks the health URLs and JMX readings, each for the JVMs its selector matches
 * @param watch how long a patched JVM is watched; zero passes it at the first check after the apply
 */
public record HealthGate(List<HealthCheck> checks, Duration watch) {
  public HealthGate {
    checks = List.copyOf(checks);
    Objects.requireNonNull(watch, "watch");
    if (watch.isNegative()) {
      throw new IllegalArgumentException("the health watch must not be negative");
    }
  }

  /**
   * The default watch: none. A JVM passes at the check right after the apply, and one restarted
   * later is patched again as before; give a watch (Livepatch uses ten seconds) to keep an update
   * from a JVM that dies soon after it.
   */
  public static final Duration DEFAULT_WATCH = Duration.ZERO;

  public static HealthGate aliveOnly(Duration watch) {
    return new HealthGate(List.of(), watch);
  }

  /** The checks that apply to a JVM with this command line. */
  public List<HealthCheck> checksFor(String commandLine) {
    return checks.stream().filter(c -> c.selector().matches(commandLine)).toList();
  }

  /**
   * Why {@code after} is worse than {@code before} by {@code checks}; empty when every check holds.
   */
  public static Optional<String> failure(
      List<HealthCheck> checks, Readings before, Readings after) {
    for (HealthCheck check : checks) {
      if (check instanceof HealthCheck.Url url) {
        String key = url.url().toString();
        Integer was = before.urls().get(key);
        Integer now = after.urls().get(key);
        if (Readings.ok(was) && !Readings.ok(now)) {
          return Optional.of(
              key
                  + (now == null || now == 0 ? " did not answer" : " answered " + now)
                  + " after the update ("
                  + was
                  + " before)");
        }
      } else if (check instanceof HealthCheck.Jmx jmx) {
        Double was = before.jmx().get(jmx.name());
        Double now = after.jmx().get(jmx.name());
        if (was == null || now == null) {
          continue; // not readable before or after: nothing to compare
        }
        String verdict = judge(jmx, was, now, before.uptimeMillis(), after.uptimeMillis());
        if (verdict != null) {
          return Optional.of(verdict);
        }
      }
    }
    return Optional.empty();
  }

  private static String judge(
      HealthCheck.Jmx check, double was, double now, long uptimeBefore, long uptimeAfter) {
    String limit = HealthCheck.format(check.limit());
    switch (check.rule()) {
      case RISE -> {
        if (now - was > check.limit()) {
          return check.name()
              + " rose by "
              + HealthCheck.format(now - was)
              + " after the update (from "
              + HealthCheck.format(was)
              + " to "
              + HealthCheck.format(now)
              + "; at most "
              + limit
              + " allowed)";
        }
      }
      case RATIO -> {
        if (was > 0 && now / was > check.limit()) {
          return check.name()
              + " is "
              + HealthCheck.format(now)
              + " after the update, "
              + String.format(java.util.Locale.ROOT, "%.2f", now / was)
              + " times the "
              + HealthCheck.format(was)
              + " before (at most "
              + limit
              + " times allowed)";
        }
      }
      case RATE -> {
        long since = uptimeAfter - uptimeBefore;
        if (since > 0 && uptimeBefore > 0 && was > 0) {
          double before = was / uptimeBefore;
          double after = (now - was) / since;
          if (after > check.limit() * before) {
            return check.name()
                + " grew "
                + String.format(java.util.Locale.ROOT, "%.2f", after / before)
                + " times as fast after the update as before (at most "
                + limit
                + " times allowed)";
          }
        }
      }
      case MAX -> {
        if (now > check.limit()) {
          return check.name()
              + " is "
              + HealthCheck.format(now)
              + " after the update (at most "
              + limit
              + " allowed)";
        }
      }
    }
    return null;
  }
}
