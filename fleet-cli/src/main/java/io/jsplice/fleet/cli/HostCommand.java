package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.HostDetail;
import io.jsplice.fleet.api.HostSummary;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice host VERB NAME}: one host, as Uptrack's authorize/deauthorize and describe. */
@Command(
    name = "host",
    mixinStandardHelpOptions = true,
    description = "Show, deactivate, activate, move or remove one host of the fleet.",
    subcommands = {
      HostCommand.Show.class,
      HostCommand.Deactivate.class,
      HostCommand.Activate.class,
      HostCommand.Remove.class,
      HostCommand.Group.class,
      HostCommand.Ring.class
    })
public final class HostCommand implements Callable<Integer> {
  @Override
  public Integer call() throws FailureException {
    throw new FailureException(
        FailureCause.BAD_REQUEST,
        "name what to do: jsplice host show|deactivate|activate|remove|group|ring NAME");
  }

  /** What each change verb does with the client, and how it says what it did. */
  abstract static class Change implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "NAME", description = "The host's name.")
    String name;

    @Option(names = "--json", description = "Print the host as JSON.")
    boolean json;

    abstract HostSummary change(FleetClient client) throws FleetException;

    abstract String done(HostSummary host);

    @Override
    public Integer call() throws FailureException {
      try {
        HostSummary host = change(admin.client());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          JsonOut.print(out, host);
        } else {
          out.println(done(host));
        }
        return 0;
      } catch (FleetException e) {
        throw FleetFailures.of(e);
      }
    }
  }

  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = {
        "Deactivate a host: from its next poll it gets no update list and no package, and its",
        "daemon applies nothing new and logs why. Its JVMs keep what they run; it may still report."
      })
  static final class Deactivate extends Change {
    @Option(
        names = "--reason",
        description = "Why; shown to the host's daemon and in the audit log.")
    String reason;

    @Override
    HostSummary change(FleetClient client) throws FleetException {
      return client.deactivate(name, reason);
    }

    @Override
    String done(HostSummary host) {
      return "deactivated "
          + host.name()
          + ": it gets no updates from its next poll until `jsplice host activate "
          + host.name()
          + "`";
    }
  }

  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description =
          "Activate a host: a pending one is authorized, a deactivated one gets updates again.")
  static final class Activate extends Change {
    @Override
    HostSummary change(FleetClient client) throws FleetException {
      return client.activate(name);
    }

    @Override
    String done(HostSummary host) {
      return "activated "
          + host.name()
          + ": it gets the updates of group "
          + host.group()
          + " again";
    }
  }

  @Command(
      name = "group",
      mixinStandardHelpOptions = true,
      description = "Move a host to another group (jsplice fleet groups lists them).")
  static final class Group extends Change {
    @Parameters(index = "1", paramLabel = "GROUP", description = "The group.")
    String group;

    @Override
    HostSummary change(FleetClient client) throws FleetException {
      return client.moveToGroup(name, group);
    }

    @Override
    String done(HostSummary host) {
      return "moved " + host.name() + " to group " + host.group();
    }
  }

  @Command(
      name = "ring",
      mixinStandardHelpOptions = true,
      description = "Set a host's rollout ring within its group (omit RING to clear it).")
  static final class Ring extends Change {
    @Parameters(index = "1", arity = "0..1", paramLabel = "RING", description = "The ring.")
    String ring;

    @Override
    HostSummary change(FleetClient client) throws FleetException {
      return client.setRing(name, ring);
    }

    @Override
    String done(HostSummary host) {
      return host.ring() == null
          ? host.name() + " is in no ring"
          : host.name() + " is in ring " + host.ring();
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a host: its secret stops working, its JVMs and reports are forgotten; its events",
        "stay in the history. Its daemon must enrol again to rejoin."
      })
  static final class Remove implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "NAME", description = "The host's name.")
    String name;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws FailureException {
      try {
        admin.client().remove(name);
      } catch (FleetException e) {
        throw FleetFailures.of(e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, new Removed(name));
      } else {
        out.println("removed " + name);
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show a host: its state, its JVMs with the libraries they loaded (and what each",
        "effectively runs), the updates in force, and its latest events."
      })
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin AdminOptions admin;

    @Parameters(index = "0", paramLabel = "NAME", description = "The host's name.")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Option(
        names = {"-v", "--verbose"},
        description = "List every library of every JVM.")
    boolean verbose;

    @Override
    public Integer call() throws FailureException {
      HostDetail detail;
      try {
        detail = admin.client().host(name);
      } catch (FleetException e) {
        throw FleetFailures.of(e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, detail);
        return 0;
      }
      HostSummary h = detail.host();
      Instant now = Instant.now();
      out.println(
          h.name()
              + ": "
              + h.state().name().toLowerCase()
              + (h.reason() == null ? "" : " (" + h.reason() + ")")
              + ", group "
              + h.group()
              + ", "
              + h.jvms()
              + " JVM(s), "
              + h.jvmsPatched()
              + " patched, "
              + h.jvmsVulnerable()
              + " vulnerable; last seen "
              + Times.ago(h.lastSeen(), now));
      for (JvmInventory jvm : detail.jvms()) {
        out.println();
        out.println(
            "  JVM "
                + jvm.pid()
                + "  "
                + jvm.mainClass()
                + (jvm.jdkVersion() == null ? "" : "  (JDK " + jvm.jdkVersion() + ")")
                + (jvm.agent() ? "" : "  no agent"));
        jvm.updates()
            .forEach(
                u ->
                    out.println(
                        "    update "
                            + u.id()
                            + (u.reapplied() ? " (reapplied by the agent at start)" : "")));
        for (LoadedArtifact a : jvm.artifacts()) {
          if (verbose || a.effectiveVersion() != null) {
            out.println(
                "    "
                    + a.artifactId()
                    + " "
                    + (a.version() == null ? "?" : a.version())
                    + (a.effectiveVersion() == null
                        ? ""
                        : ", effectively " + a.effectiveVersion()));
          }
        }
        if (!verbose && !jvm.artifacts().isEmpty()) {
          out.println("    " + jvm.artifacts().size() + " libraries loaded (-v lists them)");
        }
      }
      if (!detail.events().isEmpty()) {
        out.println();
        out.println("  latest events:");
        for (FleetEvent e : detail.events()) {
          out.println(
              "    " + e.at() + "  " + e.kind() + "  " + (e.message() == null ? "" : e.message()));
        }
      }
      return 0;
    }
  }

  /** What {@code host remove --json} prints after {@code "ok": true}. */
  private record Removed(String removed) {}
}
