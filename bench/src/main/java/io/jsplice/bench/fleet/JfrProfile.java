package io.jsplice.bench.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's CPU went, from the execution samples of a JFR recording taken between two
 * instants (the measured rates, not the enrolment and warm-up before them): the share of samples
 * per component (by the first frame of ours or of a known library on each stack, so that time in
 * the JDK is charged to whoever called it) and the hottest methods by self time.
 */
final class JfrProfile {
  /** Components, by package prefix; the first that matches a stack's frames, from the top, wins. */
  private static final List<String[]> COMPONENTS =
      List.of(
          new String[] {"org.h2.", "H2 (the embedded database)"},
          new String[] {"org.postgresql.", "pgjdbc (the PostgreSQL driver)"},
          new String[] {"com.zaxxer.hikari.", "HikariCP"},
          new String[] {"com.fasterxml.jackson.", "Jackson (JSON)"},
          new String[] {"io.micrometer.", "Micrometer (metrics)"},
          new String[] {"io.jsplice.fleet.server.store.", "jsplice store (SQL, hashing)"},
          new String[] {"io.jsplice.fleet.server.http.", "jsplice routes and authentication"},
          new String[] {"io.jsplice.", "jsplice (other)"},
          new String[] {"io.javalin.", "Javalin"},
          new String[] {"org.eclipse.jetty.", "Jetty (HTTP)"},
          new String[] {"kotlin.", "Kotlin runtime (Javalin)"});

  /**
   * What the server was doing, by a method on the stack (the one nearest the top wins): the route
   * handlers, the steps every request takes, and the background writes.
   */
  private static final List<String[]> ACTIVITIES =
      List.of(
          new String[] {"store.LastSeen.flush", "last-seen batch writes (background thread)"},
          new String[] {"http.Authenticator.authenticate", "authentication (the secret's lookup)"},
          new String[] {"http.HostRoutes.updateList", "update list (ETag check; list if changed)"},
          new String[] {"http.HostRoutes.report", "reports (JSON, inventory writes)"},
          new String[] {"metrics.FleetMetrics.request", "request latency metrics"},
          new String[] {"server.FleetServer.dispatch", "other route work"},
          new String[] {"org.eclipse.jetty.", "HTTP outside the routes (Jetty, Javalin)"},
          new String[] {"io.javalin.", "HTTP outside the routes (Jetty, Javalin)"});

  private JfrProfile() {}

  /** The report's lines. */
  static List<String> summarize(Path recording, Instant from, Instant to) throws IOException {
    Map<String, Integer> components = new HashMap<>();
    Map<String, Integer> methods = new HashMap<>();
    Map<String, Integer> activities = new HashMap<>();
    int total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStartTime().isBefore(from)
          || event.getStartTime().isAfter(to)) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      total++;
      List<RecordedFrame> frames = stack.getFrames();
      methods.merge(name(frames.get(0)), 1, Integer::sum);
      components.merge(component(frames), 1, Integer::sum);
      activities.merge(activity(frames), 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    out.add("  " + total + " execution samples of the server JVM while the rates above ran");
    int all = Math.max(1, total);
    out.add("  by activity:");
    activities.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(
            e -> out.add(String.format("    %5.1f%%  %s", 100.0 * e.getValue() / all, e.getKey())));
    out.add("  by component (the first library frame from the top; JDK time goes to its caller):");
    components.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(
            e -> out.add(String.format("    %5.1f%%  %s", 100.0 * e.getValue() / all, e.getKey())));
    out.add("  hottest methods (self):");
    methods.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(12)
        .forEach(
            e -> out.add(String.format("    %5.1f%%  %s", 100.0 * e.getValue() / all, e.getKey())));
    return out;
  }

  private static String activity(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String name = name(frame);
      for (String[] activity : ACTIVITIES) {
        if (name.contains(activity[0])) {
          return activity[1];
        }
      }
    }
    return "other (JIT, GC, JFR, idle pool threads)";
  }

  private static String component(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      for (String[] component : COMPONENTS) {
        if (type.startsWith(component[0])) {
          return component[1];
        }
      }
    }
    return "JDK only (GC helpers, the HTTP selector, ...)";
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }
}
