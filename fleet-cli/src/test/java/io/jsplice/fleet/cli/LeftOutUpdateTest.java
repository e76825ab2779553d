package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.daemon.state.Ledger;
import io.jsplice.fleet.testkit.TestDatabase;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Jdk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An update that leaves out classes of the fixed release (a live subset), through a real server,
 * daemon, agent and JVM: the agent refuses it; the daemon records that as final for the JVM run and
 * reports it once with the classes and what accepts them, rather than trying again at every poll as
 * it does for objects a request may hold only for a moment; once the group's policy accepts such
 * updates, it applies it.
 */
class LeftOutUpdateTest {
  @TempDir Path dir;
  @RegisterExtension final Started started = new Started();

  @Test
  void aSubsetRefusedForItsLeftOutClasses_isReportedOnceWithWhy_andAppliedOnceTheGroupAcceptsIt()
      throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    Path subset = TestUpdates.jettisonLeavingOut();
    ServerProcess server = started.keep(ServerProcess.start(dir.resolve("server"), trust, null));
    FleetClient admin = server.admin();
    FleetTarget jvm = started.keep(FleetTarget.start("host-l", Jdk.current(), null));
    Path state = dir.resolve("daemon");
    DaemonProcess daemon =
        started.keep(DaemonProcess.start("host-l", server.url(), server.enrolKey(), state, trust));
    Await.until(
        "the host reported its JVM", () -> ServerView.jvms(admin, "host-l") == 1, daemon::outputs);

    admin.publish(Files.readAllBytes(subset));
    Await.until(
        "the daemon reported that the JVM refused the subset",
        () -> !events(admin, EventKind.APPLY_FAILED, jvm.pid()).isEmpty(),
        daemon::outputs);
    FleetEvent refusal = events(admin, EventKind.APPLY_FAILED, jvm.pid()).get(0);
    assertThat(refusal.updateId()).isEqualTo(TestUpdates.LEFT_OUT_ID);
    assertThat(refusal.cause()).isEqualTo(HostEvent.CLASSES_LEFT_OUT);
    assertThat(refusal.message())
        .contains("leaves out 1 class(es) of the fixed release")
        .contains("left out by the fleet tests' subset")
        .contains("--accept-left-out true")
        .contains("not tried again in this run");

    daemon.awaitPolls(7); // more than the five tries a JVM that cannot take an update yet gets
    assertThat(events(admin, EventKind.APPLY_FAILED, jvm.pid()))
        .as("reported once, not tried again at every poll")
        .hasSize(1);
    Ledger.Entry entry =
        FleetJson.read(Files.readAllBytes(state.resolve(Ledger.FILE)), Ledger.class)
            .entries()
            .values()
            .stream()
            .map(updates -> updates.get(TestUpdates.LEFT_OUT_ID))
            .filter(e -> e != null)
            .findFirst()
            .orElseThrow();
    assertThat(entry.outcome()).isEqualTo(Ledger.Outcome.FAILED);
    assertThat(entry.attempts()).isEqualTo(1);
    assertThat(jvm.jsonFixed()).as("the refused update changed nothing").isFalse();

    admin.putGroup("default", new GroupSettings(ApplyPolicy.AUTOMATIC, true));
    assertThat(admin.groups().groups()).anySatisfy(g -> assertThat(g.acceptLeftOut()).isTrue());
    daemon.pollNow();
    Await.until(
        "the JVM runs the fix once its group accepts updates that leave out classes",
        jvm::jsonFixed,
        () -> jvm.outputs() + daemon.outputs());
    Await.until(
        "the daemon reported the apply",
        () -> events(admin, EventKind.APPLIED, jvm.pid()).size() == 1,
        daemon::outputs);
  }

  /**
   * The same refusal on PostgreSQL, accepted by an admin for this update only and in this group
   * ({@code jsplice fleet accept-left-out}), not by the group's policy for every update: the daemon
   * applies it at its next poll, and the group still refuses other such updates.
   */
  @Test
  void aSubsetRefusedForItsLeftOutClasses_isAppliedOnceAnAdminAcceptsThatUpdateForTheGroup()
      throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    Path subset = TestUpdates.jettisonLeavingOut();
    ServerProcess server =
        started.keep(
            ServerProcess.start(
                dir.resolve("server"), trust, TestDatabase.POSTGRESQL.create("left_out_update")));
    FleetClient admin = server.admin();
    FleetTarget jvm = started.keep(FleetTarget.start("host-u", Jdk.current(), null));
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-u", server.url(), server.enrolKey(), dir.resolve("daemon"), trust));
    Await.until(
        "the host reported its JVM", () -> ServerView.jvms(admin, "host-u") == 1, daemon::outputs);

    admin.publish(Files.readAllBytes(subset));
    Await.until(
        "the daemon reported that the JVM refused the subset",
        () -> !events(admin, EventKind.APPLY_FAILED, jvm.pid()).isEmpty(),
        daemon::outputs);
    FleetEvent refusal = events(admin, EventKind.APPLY_FAILED, jvm.pid()).get(0);
    assertThat(refusal.cause()).isEqualTo(HostEvent.CLASSES_LEFT_OUT);
    assertThat(refusal.message())
        .contains("jsplice fleet accept-left-out " + TestUpdates.LEFT_OUT_ID + " --group default");
    assertThat(admin.updateJvms(TestUpdates.LEFT_OUT_ID).jvms())
        .singleElement()
        .satisfies(j -> assertThat(j.cause()).isEqualTo(HostEvent.CLASSES_LEFT_OUT));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Jsplice.run(
            new String[] {
              "fleet",
              "accept-left-out",
              TestUpdates.LEFT_OUT_ID,
              "--group",
              "default",
              "--server",
              server.url().toString(),
              "--token-file",
              server.adminToken().toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "hosts of group default apply "
                + TestUpdates.LEFT_OUT_ID
                + " though it leaves out classes of the fixed release\n");
    assertThat(admin.update(TestUpdates.LEFT_OUT_ID).leftOutAccepted()).containsExactly("default");
    assertThat(admin.groups().groups())
        .as("this update only, not the group's policy")
        .allSatisfy(g -> assertThat(g.acceptLeftOut()).isFalse());

    daemon.pollNow();
    Await.until(
        "the JVM runs the fix once the admin accepted this update's classes left out",
        jvm::jsonFixed,
        () -> jvm.outputs() + daemon.outputs());
    Await.until(
        "the daemon reported the apply",
        () -> events(admin, EventKind.APPLIED, jvm.pid()).size() == 1,
        daemon::outputs);
    assertThat(events(admin, EventKind.APPLY_FAILED, jvm.pid())).hasSize(1);
  }

  /**
   * An admin withdraws an acceptance of this update's classes left out ({@code jsplice fleet
   * accept-left-out ID --group G --withdraw}, on PostgreSQL): the JVM that applied it keeps it (the
   * withdrawal undoes nothing, and {@code jsplice fleet update} says so); a JVM that starts on the
   * host afterwards is held again, reported with CLASSES_LEFT_OUT. Withdrawing what does not exist
   * (another scope, an unknown group, an unknown update) is refused with why and changes nothing.
   */
  @Test
  void anAcceptanceWithdrawn_holdsTheUpdateAgainWhereItIsNotApplied_andKeepsItWhereItIsInForce()
      throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    String id = TestUpdates.LEFT_OUT_ID;
    ServerProcess server =
        started.keep(
            ServerProcess.start(
                dir.resolve("server"),
                trust,
                TestDatabase.POSTGRESQL.create("left_out_withdrawal")));
    FleetClient admin = server.admin();
    String[] where = {
      "--server", server.url().toString(), "--token-file", server.adminToken().toString()
    };
    FleetTarget first = started.keep(FleetTarget.start("host-w", Jdk.current(), null));
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-w", server.url(), server.enrolKey(), dir.resolve("daemon"), trust));
    Await.until(
        "the host reported its JVM", () -> ServerView.jvms(admin, "host-w") == 1, daemon::outputs);
    admin.publish(Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
    assertThat(run(where, "fleet", "accept-left-out", id, "--group", "default").exit()).isZero();
    daemon.pollNow();
    Await.until(
        "the first JVM runs the accepted subset",
        first::jsonFixed,
        () -> first.outputs() + daemon.outputs());
    Await.until(
        "the daemon reported the apply",
        () -> events(admin, EventKind.APPLIED, first.pid()).size() == 1,
        daemon::outputs);

    long audited = admin.audit(0, 1000).entries().size();
    Cli everyGroup = run(where, "fleet", "accept-left-out", id, "--every-group", "--withdraw");
    assertThat(everyGroup.exit()).isEqualTo(53);
    assertThat(everyGroup.err())
        .contains(
            "update "
                + id
                + " has no acceptance of the classes it leaves out for every group to withdraw;"
                + " accepted for this update in default");
    Cli noGroup = run(where, "fleet", "accept-left-out", id, "--group", "nosuch", "--withdraw");
    assertThat(noGroup.exit()).isEqualTo(53);
    assertThat(noGroup.err()).contains("there is no group \"nosuch\"");
    Cli noUpdate =
        run(
            where,
            "fleet",
            "accept-left-out",
            "no-such-update",
            "--group",
            "default",
            "--withdraw");
    assertThat(noUpdate.exit()).isEqualTo(53);
    assertThat(noUpdate.err()).contains("there is no published update \"no-such-update\"");
    Cli nowhere = run(where, "fleet", "accept-left-out", id, "--withdraw");
    assertThat(nowhere.exit()).isNotZero();
    assertThat(nowhere.err())
        .contains(
            "say where to withdraw the acceptance of the classes "
                + id
                + " leaves out: --group G or --every-group");
    assertThat(admin.update(id).leftOutAccepted())
        .as("the refused withdrawals changed nothing")
        .containsExactly("default");
    assertThat(admin.audit(0, 1000).entries()).hasSize((int) audited);

    Cli withdrawn = run(where, "fleet", "accept-left-out", id, "--group", "default", "--withdraw");
    assertThat(withdrawn.exit()).as(withdrawn.err()).isZero();
    assertThat(withdrawn.out())
        .isEqualTo(
            "withdrew the acceptance of the classes "
                + id
                + " leaves out for group default: hosts that have not applied it hold it again"
                + " from their next poll\n"
                + "JVMs where it is in force keep it: a withdrawal undoes nothing (jsplice fleet"
                + " rollout "
                + id
                + " rollback --group G, or jsplice undo PID "
                + id
                + " on the host)\n");
    assertThat(admin.update(id).leftOutAccepted()).isEmpty();
    assertThat(admin.audit(0, 1000).entries())
        .filteredOn(e -> e.action().equals("update.withdraw-left-out"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo(id);
              assertThat(e.detail()).isEqualTo("group default");
            });

    FleetTarget second = started.keep(FleetTarget.start("host-w", Jdk.current(), null));
    daemon.pollNow();
    Await.until(
        "the daemon reported that the JVM started after the withdrawal holds the subset",
        () -> !events(admin, EventKind.APPLY_FAILED, second.pid()).isEmpty(),
        daemon::outputs);
    assertThat(events(admin, EventKind.APPLY_FAILED, second.pid()).get(0).cause())
        .isEqualTo(HostEvent.CLASSES_LEFT_OUT);
    daemon.awaitPolls(2);
    assertThat(second.jsonFixed()).as("held: the refused update changed nothing").isFalse();
    assertThat(first.jsonFixed()).as("the JVM that applied it keeps it").isTrue();
    assertThat(admin.events(0, 1000).events())
        .as("nothing undone")
        .noneMatch(
            e ->
                e.kind() == EventKind.UNDONE_BY_ROLLOUT
                    || e.kind() == EventKind.UNDONE_BY_OPERATOR);

    Await.until(
        "the server has both JVMs' latest state",
        () -> ServerView.jvms(admin, "host-w") == 2 && updateJvms(admin, id) == 2,
        daemon::outputs);
    Cli update = run(where, "fleet", "update", id);
    assertThat(update.exit()).as(update.err()).isZero();
    assertThat(update.out().lines())
        .contains(
            "  left out  1 class(es) of the fixed release; accepted in no group for this update"
                + " (jsplice fleet accept-left-out "
                + id
                + " --group G | --every-group)",
            "  kept      in force in 1 JVM(s) of groups that no longer accept the classes it"
                + " leaves out: a withdrawn acceptance undoes nothing (jsplice fleet rollout "
                + id
                + " rollback --group G, or jsplice undo PID "
                + id
                + " on the host)")
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("  IN FORCE  host-w (group default) JVM " + first.pid() + " ")
                    .endsWith("  kept: classes left out no longer accepted in group default"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("  HELD      host-w (group default) JVM " + second.pid() + " "));
  }

  private record Cli(int exit, String out, String err) {}

  private static int updateJvms(FleetClient admin, String id) {
    try {
      return admin.updateJvms(id).jvms().size();
    } catch (FleetException e) {
      return -1;
    }
  }

  private static Cli run(String[] where, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + where.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(where, 0, all, args.length, where.length);
    int exit = Jsplice.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(exit, out.toString(), err.toString());
  }

  private static List<FleetEvent> events(FleetClient admin, EventKind kind, long pid) {
    return ServerView.events(admin).stream()
        .filter(e -> e.kind() == kind && e.pid() == pid)
        .toList();
  }
}
