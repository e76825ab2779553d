package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.AuditEntry;
import io.jsplice.fleet.api.AuditPage;
import io.jsplice.fleet.api.CveExposure;
import io.jsplice.fleet.api.CveJvm;
import io.jsplice.fleet.api.EnrolmentKey;
import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.ExposureReport;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.api.Group;
import io.jsplice.fleet.api.GroupList;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.JvmExposure;
import io.jsplice.fleet.api.LeftOutAcceptance;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateCatalog;
import io.jsplice.fleet.api.UpdateJvm;
import io.jsplice.fleet.api.UpdateJvmState;
import io.jsplice.fleet.api.UpdateTarget;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice fleet VERB}: the fleet as a whole, its updates, groups, events and audit log. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description =
        "The fleet as a whole: status, exposure, updates, approvals, groups, events, audit.",
    subcommands = {
      FleetCommand.Status.class,
      FleetCommand.Exposure.class,
      FleetCommand.Cve.class,
      FleetCommand.Updates.class,
      FleetCommand.UpdateVerb.class,
      FleetCommand.Approve.class,
      FleetCommand.Revoke.class,
      FleetCommand.AcceptLeftOut.class,
      FleetCommand.Groups.class,
      FleetCommand.GroupPolicy.class,
      FleetCommand.Events.class,
      FleetCommand.Audit.class,
      FleetCommand.RotateEnrolKey.class,
      RolloutCommands.RolloutVerb.class,
      RolloutCommands.Rings.class,
      FeedCommands.Feed.class,
      FeedCommands.Advisories.class
    })
public final class FleetCommand implements Callable<Integer> {
  @Override
  public Integer call() throws FailureException {
    throw new FailureException(
        FailureCause.BAD_REQUEST,
        "name what to show or do: jsplice fleet"
            + " status|exposure|cve|updates|update|approve|revoke|accept-left-out|groups|group|events|audit|rotate-enrol-key|rollout|rings|feed|advisories");
  }

  /** A fleet verb: one call to the server, printed as text or JSON. */
  abstract static class Verb<T extends Record> implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin AdminOptions admin;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    abstract T fetch(FleetClient client) throws FleetException, FailureException;

    abstract void print(T value, PrintWriter out);

    /** The exit code once it printed {@code value}: 0 unless a verb says otherwise. */
    int exitCode(T value) {
      return 0;
    }

    @Override
    public Integer call() throws FailureException {
      T value;
      try {
        value = fetch(admin.client());
      } catch (FleetException e) {
        throw FleetFailures.of(e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, value);
      } else {
        print(value, out);
        out.flush();
      }
      return exitCode(value);
    }
  }

  @Command(
      name = "rotate-enrol-key",
      mixinStandardHelpOptions = true,
      description = {
        "Replace the fleet's enrolment key: the old one enrols nothing more (a deactivated or",
        "removed machine that kept it, a leaked copy); enrolled hosts keep their own secrets.",
        "Prints the new key, once; the server that answers also writes it to its DATA/enrol.key."
      })
  static final class RotateEnrolKey extends Verb<EnrolmentKey> {
    @Override
    EnrolmentKey fetch(FleetClient client) throws FleetException {
      return client.rotateEnrolmentKey();
    }

    @Override
    void print(EnrolmentKey key, PrintWriter out) {
      out.println(key.key());
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Hosts by state, JVMs patched and vulnerable, updates, apply results.")
  static final class Status extends Verb<FleetStatus> {
    @Override
    FleetStatus fetch(FleetClient client) throws FleetException {
      return client.status();
    }

    @Override
    void print(FleetStatus s, PrintWriter out) {
      out.println(
          s.jvmsVulnerable() == 0
              ? "no JVM runs a release a published update targets without it"
              : s.jvmsVulnerable() + " JVM(s) still run a release a published update fixes");
      out.printf(
          "  hosts    %d active, %d pending, %d deactivated (%d active not seen lately)%n",
          s.hostsActive(), s.hostsPending(), s.hostsDeactivated(), s.hostsSilent());
      out.printf(
          "  JVMs     %d: %d patched, %d vulnerable, %d stale%n",
          s.jvms(), s.jvmsPatched(), s.jvmsVulnerable(), s.jvmsStale());
      out.printf(
          "  updates  %d published; %d applies reported, %d failed%n",
          s.updates(), s.applied(), s.failed());
    }
  }

  @Command(
      name = "exposure",
      mixinStandardHelpOptions = true,
      description = {
        "Which JVMs load a library, which of them run a release a published update fixes, and",
        "which are patched. Exits 0 when none is left vulnerable, 42 when some is."
      })
  static final class Exposure extends Verb<ExposureReport> {
    static final int VULNERABLE_EXIT_CODE = 42;

    @Parameters(index = "0", paramLabel = "GROUP:ARTIFACT", description = "The library.")
    String artifact;

    @Override
    ExposureReport fetch(FleetClient client) throws FleetException {
      return client.exposure(artifact);
    }

    /** As {@code jsplice stale}: 42 when some JVM is left vulnerable. */
    @Override
    int exitCode(ExposureReport report) {
      return report.vulnerable() > 0 ? VULNERABLE_EXIT_CODE : 0;
    }

    @Override
    void print(ExposureReport r, PrintWriter out) {
      out.println(
          r.artifactId()
              + ": "
              + r.jvms().size()
              + " JVM(s) load it, "
              + r.vulnerable()
              + " vulnerable, "
              + r.patched()
              + " patched");
      for (JvmExposure j : r.jvms()) {
        out.println(
            "  "
                + (j.vulnerable()
                    ? "VULNERABLE "
                    : !j.patchedBy().isEmpty() ? "patched    " : "           ")
                + j.host()
                + " JVM "
                + j.pid()
                + "  "
                + r.artifactId()
                + " "
                + j.version()
                + (j.effectiveVersion() == null ? "" : ", effectively " + j.effectiveVersion())
                + (j.missing().isEmpty() ? "" : "  missing " + String.join(", ", j.missing())));
      }
    }
  }

  @Command(
      name = "cve",
      mixinStandardHelpOptions = true,
      description = {
        "Which JVMs of the fleet are still exposed to a CVE: those that loaded a release an",
        "imported advisory naming it covers, or the release a published update naming it",
        "targets, and run none of those updates. --csv prints it for an auditor (as GET",
        "/api/v1/cves/CVE/csv, with LF line ends). Exits 0 when none is exposed, 42 when some is."
      })
  static final class Cve extends Verb<CveExposure> {
    @Parameters(index = "0", paramLabel = "CVE", description = "The CVE id, e.g. CVE-2022-42889.")
    String cve;

    @Option(names = "--csv", description = "Print as CSV (RFC 4180), one row a JVM.")
    boolean csv;

    @Override
    CveExposure fetch(FleetClient client) throws FleetException {
      return client.cveExposure(cve);
    }

    /** As {@code exposure}: 42 while some JVM is exposed. */
    @Override
    int exitCode(CveExposure report) {
      return report.exposed() > 0 ? Exposure.VULNERABLE_EXIT_CODE : 0;
    }

    @Override
    void print(CveExposure r, PrintWriter out) {
      if (csv) {
        // LF line ends: the CLI's terminal-safe writer prints a carriage return as an escape.
        out.print(r.csv().replace("\r\n", "\n"));
        return;
      }
      long hosts = r.jvms().stream().filter(CveJvm::exposed).map(CveJvm::host).distinct().count();
      out.println(
          r.cve()
              + ": "
              + r.exposed()
              + " JVM(s) on "
              + hosts
              + " host(s) still exposed, "
              + (r.jvms().size() - r.exposed())
              + " patched");
      out.println(
          "  named by  "
              + String.join(", ", r.advisories())
              + (r.advisories().isEmpty() || r.updates().isEmpty() ? "" : "; ")
              + (r.updates().isEmpty() ? "" : "updates " + String.join(", ", r.updates())));
      for (CveJvm j : r.jvms()) {
        out.println(
            "  "
                + (j.exposed() ? "EXPOSED " : "patched ")
                + j.host()
                + " JVM "
                + j.pid()
                + (j.library() == null ? "" : "  " + j.library())
                + (j.patchedBy().isEmpty() ? "" : "  by " + String.join(", ", j.patchedBy()))
                + (j.missing().isEmpty() ? "" : "  missing " + String.join(", ", j.missing()))
                + (j.lastFailure() == null ? "" : "  last failure: " + j.lastFailure()));
      }
    }
  }

  @Command(
      name = "updates",
      mixinStandardHelpOptions = true,
      description = "The published updates.")
  static final class Updates extends Verb<UpdateCatalog> {
    @Override
    UpdateCatalog fetch(FleetClient client) throws FleetException {
      return client.updates();
    }

    @Override
    void print(UpdateCatalog c, PrintWriter out) {
      out.println(c.updates().size() + " update(s) published");
      for (PublishedUpdate u : c.updates()) {
        out.println(
            "  "
                + u.id()
                + "  "
                + u.description()
                + "  (in force in "
                + u.jvmsApplied()
                + " JVM(s), failed in "
                + u.jvmsFailed()
                + (u.approvedGroups().isEmpty()
                    ? ""
                    : "; approved for " + String.join(", ", u.approvedGroups()))
                + (u.leftOutAccepted().isEmpty()
                    ? ""
                    : "; classes left out accepted in " + String.join(", ", u.leftOutAccepted()))
                + ")");
      }
    }
  }

  /**
   * What {@code jsplice fleet update ID} shows: the update, the classes it leaves out of the fixed
   * release (a live subset), and every JVM it concerns with where it stands there.
   *
   * @param update the update
   * @param leftOut its own analysis's {@link io.jsplice.fleet.api.UpdateAnalysis#leftOut()}
   * @param jvms {@code GET /api/v1/updates/ID/jvms}
   * @param leftOutAcceptedByPolicy the groups whose policy accepts the classes any update leaves
   *     out ({@link io.jsplice.fleet.api.Group#acceptLeftOut()}); empty for a whole release
   */
  public record UpdateDetail(
      PublishedUpdate update,
      List<String> leftOut,
      List<UpdateJvm> jvms,
      List<String> leftOutAcceptedByPolicy) {

    /** Whether hosts of {@code group} apply this update for the classes it leaves out. */
    boolean leftOutAccepted(String group) {
      return leftOut.isEmpty()
          || update.leftOutAccepted().contains(LeftOutAcceptance.EVERY_GROUP)
          || update.leftOutAccepted().contains(group)
          || leftOutAcceptedByPolicy.contains(group);
    }

    /**
     * Whether the update is in force in {@code j} though its group no longer accepts the classes it
     * leaves out (an acceptance withdrawn after it was applied): kept, a withdrawal undoes nothing.
     */
    boolean keptAfterWithdrawal(UpdateJvm j) {
      return j.state() == UpdateJvmState.IN_FORCE && !leftOutAccepted(j.group());
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "One update: what it targets, the classes it leaves out and where an admin accepted",
        "them, and each JVM it concerns: in force, missing, failed (with the cause) or held for",
        "the classes it leaves out (the dashboard's update page, for a terminal)."
      })
  static final class UpdateVerb extends Verb<UpdateDetail> {
    @Parameters(index = "0", paramLabel = "UPDATE", description = "The update's id.")
    String id;

    @Override
    UpdateDetail fetch(FleetClient client) throws FleetException {
      List<String> leftOut = client.analysis(id).leftOut();
      return new UpdateDetail(
          client.update(id),
          leftOut,
          client.updateJvms(id).jvms(),
          leftOut.isEmpty()
              ? List.of()
              : client.groups().groups().stream()
                  .filter(g -> g.acceptLeftOut())
                  .map(g -> g.name())
                  .toList());
    }

    @Override
    void print(UpdateDetail d, PrintWriter out) {
      PublishedUpdate u = d.update();
      out.println(u.id() + ": " + u.description());
      for (UpdateTarget t : u.targets()) {
        out.println(
            "  targets   "
                + (t.groupId() == null ? "" : t.groupId() + ":")
                + t.artifactId()
                + " "
                + t.fromVersion()
                + " -> "
                + t.toVersion());
      }
      long held = d.jvms().stream().filter(FleetCommand::heldForLeftOut).count();
      out.println(
          "  JVMs      "
              + count(d, UpdateJvmState.IN_FORCE)
              + " run it, "
              + count(d, UpdateJvmState.MISSING)
              + " need it, "
              + count(d, UpdateJvmState.FAILED)
              + " failed"
              + (held == 0 ? "" : " (" + held + " held for the classes it leaves out)"));
      if (!d.leftOut().isEmpty()) {
        out.println(
            "  left out  "
                + d.leftOut().size()
                + " class(es) of the fixed release; "
                + (u.leftOutAccepted().isEmpty()
                    ? "accepted in no group for this update (jsplice fleet accept-left-out "
                        + u.id()
                        + " --group G | --every-group)"
                    : "accepted for this update in "
                        + String.join(", ", u.leftOutAccepted())
                            .replace(LeftOutAcceptance.EVERY_GROUP, "every group")));
        for (String c : d.leftOut()) {
          out.println("            " + c);
        }
        long kept = d.jvms().stream().filter(d::keptAfterWithdrawal).count();
        if (kept > 0) {
          out.println(
              "  kept      in force in "
                  + kept
                  + " JVM(s) of groups that no longer accept the classes it leaves out: a"
                  + " withdrawn acceptance undoes nothing (jsplice fleet rollout "
                  + u.id()
                  + " rollback --group G, or jsplice undo PID "
                  + u.id()
                  + " on the host)");
        }
      }
      for (UpdateJvm j : d.jvms()) {
        String state =
            heldForLeftOut(j)
                ? "HELD"
                : j.state() == UpdateJvmState.IN_FORCE ? "IN FORCE" : j.state().name();
        out.printf(
            "  %-9s %s (group %s) JVM %d  %s%s%n",
            state,
            j.host(),
            j.group(),
            j.pid(),
            j.mainClass() == null ? "" : j.mainClass(),
            j.state() == UpdateJvmState.FAILED && !heldForLeftOut(j) && j.cause() != null
                ? "  " + j.cause()
                : d.keptAfterWithdrawal(j)
                    ? "  kept: classes left out no longer accepted in group " + j.group()
                    : "");
      }
    }

    private static long count(UpdateDetail d, UpdateJvmState state) {
      return d.jvms().stream().filter(j -> j.state() == state).count();
    }
  }

  /** Whether {@code j} refused the update for the classes it leaves out (CLASSES_LEFT_OUT). */
  static boolean heldForLeftOut(UpdateJvm j) {
    return j.state() == UpdateJvmState.FAILED && HostEvent.CLASSES_LEFT_OUT.equals(j.cause());
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve an update for a group under the APPROVAL policy.")
  static final class Approve extends Verb<PublishedUpdate> {
    @Parameters(index = "0", paramLabel = "UPDATE", description = "The update's id.")
    String id;

    @Option(names = "--group", required = true, description = "The group.")
    String group;

    @Override
    PublishedUpdate fetch(FleetClient client) throws FleetException {
      return client.approve(id, group);
    }

    @Override
    void print(PublishedUpdate u, PrintWriter out) {
      out.println("approved " + u.id() + " for group " + group);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Withdraw an update's approval for a group (JVMs keep what they applied).")
  static final class Revoke extends Verb<PublishedUpdate> {
    @Parameters(index = "0", paramLabel = "UPDATE", description = "The update's id.")
    String id;

    @Option(names = "--group", required = true, description = "The group.")
    String group;

    @Override
    PublishedUpdate fetch(FleetClient client) throws FleetException {
      return client.revokeApproval(id, group);
    }

    @Override
    void print(PublishedUpdate u, PrintWriter out) {
      out.println("withdrew the approval of " + u.id() + " for group " + group);
    }
  }

  @Command(
      name = "accept-left-out",
      mixinStandardHelpOptions = true,
      description = {
        "Accept the classes an update leaves out of the fixed release (a live subset), for this"
            + " update only: the hosts of a group (--group) or of every group (--every-group)"
            + " apply it; those it held with CLASSES_LEFT_OUT are tried again at their next poll.",
        "jsplice cannot tell whether the fix is among the classes left out: read the update's"
            + " report first. State built before the update that keeps the fix from being in"
            + " force is never accepted. For every update of a group: jsplice fleet group NAME"
            + " --policy P --accept-left-out true.",
        "--withdraw takes an acceptance back: the hosts that have not applied the update hold it"
            + " again from their next poll; JVMs where it is in force keep it (a withdrawal undoes"
            + " nothing: jsplice fleet rollout UPDATE rollback --group G, or jsplice undo PID"
            + " UPDATE on the host)."
      })
  static final class AcceptLeftOut extends Verb<PublishedUpdate> {
    @Parameters(index = "0", paramLabel = "UPDATE", description = "The update's id.")
    String id;

    @Option(names = "--group", description = "The group.")
    String group;

    @Option(names = "--every-group", description = "Every group, present and future.")
    boolean everyGroup;

    @Option(
        names = "--withdraw",
        description =
            "Withdraw that acceptance: hosts that have not applied the update hold it again;"
                + " JVMs where it is in force keep it.")
    boolean withdraw;

    @Override
    PublishedUpdate fetch(FleetClient client) throws FleetException, FailureException {
      if ((group == null) == !everyGroup) {
        throw new FailureException(
            FailureCause.BAD_REQUEST,
            "say where to "
                + (withdraw ? "withdraw the acceptance of" : "accept")
                + " the classes "
                + id
                + " leaves out: --group G or --every-group");
      }
      return withdraw ? client.withdrawLeftOut(id, group) : client.acceptLeftOut(id, group);
    }

    @Override
    void print(PublishedUpdate u, PrintWriter out) {
      String where = group == null ? "every group" : "group " + group;
      if (!withdraw) {
        out.println(
            "hosts of "
                + where
                + " apply "
                + u.id()
                + " though it leaves out classes of the fixed"
                + " release");
        return;
      }
      List<String> still =
          u.leftOutAccepted().stream()
              .map(s -> s.equals(LeftOutAcceptance.EVERY_GROUP) ? "every group" : "group " + s)
              .toList();
      out.println(
          "withdrew the acceptance of the classes "
              + u.id()
              + " leaves out for "
              + where
              + ": hosts that have not applied it hold it again from their next poll"
              + (still.isEmpty()
                  ? ""
                  : " (still accepted for this update in " + String.join(", ", still) + ")"));
      out.println(
          "JVMs where it is in force keep it: a withdrawal undoes nothing (jsplice fleet rollout "
              + u.id()
              + " rollback --group G, or jsplice undo PID "
              + u.id()
              + " on the host)");
    }
  }

  @Command(
      name = "groups",
      mixinStandardHelpOptions = true,
      description = "The groups and their policy.")
  static final class Groups extends Verb<GroupList> {
    @Override
    GroupList fetch(FleetClient client) throws FleetException {
      return client.groups();
    }

    @Override
    void print(GroupList g, PrintWriter out) {
      for (Group group : g.groups()) {
        out.printf(
            "%-20s %-10s %d host(s)%s%n",
            group.name(), group.policy(), group.hosts(), leftOut(group));
      }
    }
  }

  @Command(
      name = "group",
      mixinStandardHelpOptions = true,
      description =
          "Create a group or set its policy: AUTOMATIC, or APPROVAL (an admin approves each update).")
  static final class GroupPolicy extends Verb<Group> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group.")
    String name;

    @Option(names = "--policy", required = true, description = "${COMPLETION-CANDIDATES}")
    ApplyPolicy policy;

    @Option(
        names = "--accept-left-out",
        arity = "1",
        paramLabel = "true|false",
        description =
            "Whether its hosts apply an update that leaves out classes of the fixed release (a"
                + " live subset: jsplice cannot tell whether the fix is among them; read the"
                + " update's report first). Off for a new group; kept when not given. Without it,"
                + " such an update is refused once in each JVM and reported (CLASSES_LEFT_OUT).")
    Boolean acceptLeftOut;

    @Override
    Group fetch(FleetClient client) throws FleetException {
      return client.putGroup(name, new GroupSettings(policy, acceptLeftOut));
    }

    @Override
    void print(Group g, PrintWriter out) {
      out.println(
          "group " + g.name() + ": " + g.policy() + ", " + g.hosts() + " host(s)" + leftOut(g));
    }
  }

  /** What a group's listing says of its {@link Group#acceptLeftOut}: nothing while off. */
  static String leftOut(Group g) {
    return g.acceptLeftOut() ? ", accepts updates that leave out classes" : "";
  }

  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description = {
        "What the daemons reported doing, oldest first. With --host and --update: an update's"
            + " history on a host (applied, failed with the cause, held, reapplied at a restart,"
            + " undone), JVM by JVM; a removed host's history stays."
      })
  static final class Events extends Verb<EventPage> {
    @Mixin PageOptions page;

    @Option(names = "--host", paramLabel = "NAME", description = "Only this host's events.")
    String host;

    @Option(names = "--update", paramLabel = "UPDATE", description = "Only this update's events.")
    String update;

    @Override
    EventPage fetch(FleetClient client) throws FleetException {
      return client.events(page.after, page.limit, host, update);
    }

    @Override
    void print(EventPage page, PrintWriter out) {
      for (FleetEvent e : page.events()) {
        out.println(
            e.seq()
                + "  "
                + e.at()
                + "  "
                + e.host()
                + "  "
                + e.kind()
                + (e.pid() > 0 ? "  JVM " + e.pid() : "")
                + (e.updateId() == null ? "" : "  " + e.updateId())
                + (e.cause() == null ? "" : "  " + e.cause())
                + (e.message() == null ? "" : "  " + e.message()));
      }
    }
  }

  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      description = "The audit log: every admin action (and enrolment), oldest first.")
  static final class Audit extends Verb<AuditPage> {
    @Mixin PageOptions page;

    @Override
    AuditPage fetch(FleetClient client) throws FleetException {
      return client.audit(page.after, page.limit);
    }

    @Override
    void print(AuditPage page, PrintWriter out) {
      for (AuditEntry e : page.entries()) {
        out.println(
            e.seq()
                + "  "
                + e.at()
                + "  "
                + e.actor()
                + "  "
                + e.action()
                + "  "
                + e.target()
                + (e.detail() == null ? "" : "  (" + e.detail() + ")")
                + (e.remote() == null ? "" : "  from " + e.remote()));
      }
    }
  }
}
