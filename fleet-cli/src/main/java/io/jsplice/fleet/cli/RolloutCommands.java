package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.RingProgress;
import io.jsplice.fleet.api.RingSettings;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutList;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jsplice fleet rollout} and {@code jsplice fleet rings}: staged rollouts. */
final class RolloutCommands {
  private RolloutCommands() {}

  /** What an admin can do to a rollout. */
  enum Action {
    start(FleetPaths.ROLLOUT_START),
    pause(FleetPaths.ROLLOUT_PAUSE),
    resume(FleetPaths.ROLLOUT_RESUME),
    promote(FleetPaths.ROLLOUT_PROMOTE),
    rollback(FleetPaths.ROLLOUT_ROLLBACK);

    final String path;

    Action(String path) {
      this.path = path;
    }
  }

  @Command(
      name = "rollout",
      mixinStandardHelpOptions = true,
      description = {
        "An update's staged rollouts, ring by ring in each group; or act on one: start, pause,",
        "resume, promote (reach the next ring now) or rollback (every daemon of the group undoes",
        "it). A failed health gate pauses an update's rollouts everywhere."
      })
  static final class RolloutVerb extends FleetCommand.Verb<Record> {
    @Parameters(index = "0", paramLabel = "UPDATE", description = "The update's id.")
    String id;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "ACTION",
        description = "start, pause, resume, promote or rollback; none to show the rollouts.")
    Action action;

    @Option(
        names = "--group",
        defaultValue = "default",
        description = "The group (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--reason", description = "Why (pause, rollback).")
    String reason;

    @Override
    Record fetch(FleetClient client) throws FleetException {
      return action == null ? client.rollouts(id) : client.rollout(action.path, id, group, reason);
    }

    @Override
    void print(Record value, PrintWriter out) {
      if (value instanceof RolloutList list) {
        for (Rollout rollout : list.rollouts()) {
          print(rollout, out);
        }
      } else {
        print((Rollout) value, out);
      }
    }

    static void print(Rollout r, PrintWriter out) {
      List<String> rings = new ArrayList<>();
      for (RingProgress p : r.progress()) {
        rings.add(
            (p.reached() ? "[" + p.ring() + "]" : p.ring())
                + " "
                + p.jvmsInForce()
                + "/"
                + (p.jvmsInForce() + p.jvmsMissing())
                + (p.jvmsUnhealthy() > 0 ? " (" + p.jvmsUnhealthy() + " unhealthy)" : ""));
      }
      out.println(
          r.updateId()
              + " in "
              + r.group()
              + ": "
              + r.state()
              + "  "
              + String.join(" -> ", rings)
              + (r.reason() == null ? "" : "  (" + r.reason() + ")"));
    }
  }

  @Command(
      name = "rings",
      mixinStandardHelpOptions = true,
      description = {
        "Set a group's rollout rings, in order (e.g. canary main); with --promote-after, the next",
        "ring is reached by itself once every JVM of the rings reached that needs an update runs",
        "it and passed its daemon's health gate, and that long has passed. Hosts join a ring with",
        "jsplice host ring NAME RING; a host in no ring of its group counts as the last."
      })
  static final class Rings extends FleetCommand.Verb<RingSettings> {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The group.")
    String group;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "RING", description = "The rings.")
    List<String> rings = new ArrayList<>();

    @Option(
        names = "--promote-after",
        paramLabel = "SECONDS",
        description = "Reach the next ring by itself after this long healthy (default: never).")
    Long promoteAfter;

    @Override
    RingSettings fetch(FleetClient client) throws FleetException {
      return client.setRings(group, rings, promoteAfter);
    }

    @Override
    void print(RingSettings s, PrintWriter out) {
      out.println(
          "group "
              + s.group()
              + ": "
              + (s.rings().isEmpty() ? "one ring" : String.join(" -> ", s.rings()))
              + (s.promoteAfterSeconds() == null
                  ? ", promoted by an admin"
                  : ", promoted after " + s.promoteAfterSeconds() + " s healthy"));
    }
  }
}
