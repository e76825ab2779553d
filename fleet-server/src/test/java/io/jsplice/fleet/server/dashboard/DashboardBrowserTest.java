package io.jsplice.fleet.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.Backend;
import io.jsplice.fleet.server.RunningServer;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.testkit.Browser;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;

/**
 * The dashboard in a real headless Chromium (Debian's, through Selenium): log in, read the fleet
 * overview, open a host and deactivate it, read an update and the audit log, and check what each
 * page shows afterwards against the server. Each main page is saved as a PNG under {@code
 * target/screenshots} (and into {@code -Djsplice.screenshots=DIR}, how docs/dashboard/ is made).
 */
class DashboardBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir Path dir;
  private RunningServer server;
  private Browser browser;
  private String base;
  private String web1Secret;

  @BeforeEach
  void start() {
    browser = Browser.start(dir.resolve("chromium"));
  }

  /** Starts the server on {@code backend}; each test calls it first. */
  private void serve(Backend backend) {
    server = RunningServer.start(backend, dir.resolve("server"), "browser");
    base = server.server().url().toString();
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * Two hosts, three JVMs on commons-text 1.9: one patched, two not; one tripwire event. The
   * update's rollout reached ring canary (web-1), not main (web-2).
   */
  private void fleet() throws Exception {
    String id = TestUpdates.UPDATE_ID;
    io.jsplice.fleet.api.EnrolmentReceipt enrolled = server.enrolment("web-1");
    web1Secret = enrolled.secret();
    FleetClient web1 = server.host(enrolled);
    FleetClient web2 = server.enrol("web-2");
    server.admin().setRings("default", List.of("canary", "main"), null);
    server.admin().setRing("web-1", "canary");
    server.admin().setRing("web-2", "main");
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    JvmInventory patched = Reports.jvm(101, "1.9", id);
    JvmInventory stale =
        new JvmInventory(
            "102@1700000000000",
            102,
            "OrderService",
            "java -jar orders.jar",
            "25",
            Instant.ofEpochMilli(1_700_000_000_000L),
            true,
            "orders",
            List.of(
                new LoadedArtifact(
                    TestUpdates.GROUP_ID,
                    TestUpdates.ARTIFACT_ID,
                    "1.9",
                    null,
                    "/srv/orders/lib/commons-text-1.9.jar")),
            List.of(),
            StaleVerdict.STALE,
            RestartOutlook.WOULD_LOSE_FIX);
    web1.report(
        new HostReport(
            UUID.randomUUID().toString(),
            Instant.now(),
            "test",
            List.of(patched, stale),
            List.of(
                new HostEvent(
                    UUID.randomUUID().toString(),
                    Instant.now(),
                    EventKind.APPLIED,
                    patched.key(),
                    101,
                    id,
                    null,
                    "applied " + id + " to JVM 101 (Text4Shell)"),
                new HostEvent(
                    UUID.randomUUID().toString(),
                    Instant.now(),
                    EventKind.TRIPWIRE,
                    patched.key(),
                    101,
                    id,
                    "CVE-2022-42889",
                    "exploit attempt blocked in JVM 101: lookup \"url:UTF-8:file:///etc/passwd\""))));
    web2.report(Reports.of(new JvmInventory[] {Reports.jvm(201, "1.9")}));
  }

  private io.jsplice.fleet.api.AvailableUpdate web1Listed() throws Exception {
    return server
        .host(new io.jsplice.fleet.api.EnrolmentReceipt(null, "web-1", web1Secret, null, null, 0))
        .updates(null)
        .value()
        .updates()
        .get(0);
  }

  private void logIn() {
    browser.open(base + "/dashboard/");
    browser.await("the login page", d -> d.getCurrentUrl().endsWith("/dashboard/login"));
    browser.type("#token", "jsa_not-the-token");
    browser.click("#login");
    assertThat(browser.text("#login-error")).contains("not this server");
    browser.type("#token", server.secret(Credentials.ADMIN_FILE));
    browser.click("#login");
    browser.awaitPage("/dashboard/");
  }

  private String count(String name) {
    return browser.text("#count-" + name + " .value");
  }

  @Test
  void anAdmin_logsIn_readsTheOverview_deactivatesAHost_pausesAndRollsBackARollout()
      throws Exception {
    serve(Backend.H2);
    fleet();
    logIn();

    // The session cookie: HttpOnly (no script reads it) and SameSite=Strict.
    Cookie session = browser.driver().manage().getCookieNamed(Sessions.COOKIE);
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat((String) browser.script("return document.cookie;")).doesNotContain(Sessions.COOKIE);

    // The overview's counts are the server's.
    assertThat(count("jvms")).isEqualTo("3");
    assertThat(count("vulnerable")).isEqualTo("2");
    assertThat(count("patched")).isEqualTo("1");
    assertThat(count("stale")).isEqualTo("1");
    assertThat(count("would-lose-fix")).isEqualTo("1");
    assertThat(count("tripwires")).isEqualTo("1");
    // By its own analysis the Text4Shell update (the whole 1.9 -> 1.10.0 diff) leaves state built
    // before it partly on the old behaviour: the JVM that runs it counts as partly in force.
    assertThat(count("partly")).isEqualTo("1");
    assertThat(count("hosts-active")).isEqualTo("2");
    assertThat(browser.text("#hosts tr[data-host='web-1']")).contains("web-1").contains("ACTIVE");
    assertThat(browser.text("#tripwires")).contains("web-1").contains("CVE-2022-42889");
    assertThat(browser.text("#updates")).contains(TestUpdates.UPDATE_ID);
    browser.screenshot(SCREENSHOTS.resolve("overview.png"), Browser.DESKTOP.getWidth(), false);

    // A change without the page's CSRF token is refused, however it is sent.
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/hosts/web-2/deactivate', {method: 'POST', credentials:"
                + " 'same-origin', headers: {'Content-Type': 'application/json'}, body: '{}'})"
                + ".then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
    assertThat(server.admin().host("web-2").host().state()).isEqualTo(HostState.ACTIVE);

    // Deactivate web-2 from its page.
    browser.click("#hosts tr[data-host='web-2'] a");
    browser.awaitPage("/dashboard/hosts/web-2");
    assertThat(browser.text("#host-state")).isEqualTo("ACTIVE");
    assertThat(browser.text("#jvm-201")).contains("JVM 201");
    browser.type("#deactivate-reason", "change freeze");
    browser.click("#deactivate");
    browser.await(
        "the page shows web-2 deactivated", d -> browser.text("#host-state").equals("DEACTIVATED"));
    assertThat(browser.text("#host-reason")).contains("change freeze");
    assertThat(browser.text("#notice")).contains("web-2 is deactivated");
    assertThat(server.admin().host("web-2").host().state()).isEqualTo(HostState.DEACTIVATED);
    assertThat(server.admin().host("web-2").host().reason()).isEqualTo("change freeze");

    // web-1's page: its two JVMs with their verdicts, and the libraries each loaded.
    browser.open(base + "/dashboard/hosts/web-1");
    browser.awaitPage("/dashboard/hosts/web-1");
    assertThat(browser.text("#jvm-102")).contains("would lose a fix on restart").contains("stale");
    assertThat(browser.text("#jvm-101")).contains(TestUpdates.UPDATE_ID);
    browser.screenshot(SCREENSHOTS.resolve("host.png"), Browser.DESKTOP.getWidth(), false);

    // The update: its analysis and which JVMs run it.
    browser.open(base + "/dashboard/updates/" + TestUpdates.UPDATE_ID);
    browser.awaitPage("/dashboard/updates/" + TestUpdates.UPDATE_ID);
    assertThat(browser.text("#verdict")).isEqualTo("LIVE_NEEDS_HOOK");
    assertThat(browser.text("#in-force")).isEqualTo("partly in force");
    assertThat(browser.text("#update-jvms tr[data-pid='101']")).contains("in force");
    assertThat(browser.text("#update-jvms tr[data-pid='201']")).contains("missing");
    assertThat(browser.text("#jvm-counts")).isEqualTo("1 run it, 2 need it, 0 failed");
    assertThat(browser.text("#rollout-state-default")).isEqualTo("RUNNING");
    assertThat(browser.text("#rollout-default .ring.current")).startsWith("canary: 1/2 JVMs");

    // Pause the rollout, with a reason; the page says so, and no host may apply it now.
    browser.type("#rollout-reason-default", "checkout errors on canary");
    browser.click("#rollout-pause-default");
    browser.await(
        "the rollout shows paused", d -> browser.text("#rollout-state-default").equals("PAUSED"));
    assertThat(browser.text("#rollout-reason-text-default")).isEqualTo("checkout errors on canary");
    assertThat(web1Listed().approved()).isFalse();
    browser.screenshot(SCREENSHOTS.resolve("update.png"), Browser.DESKTOP.getWidth(), false);

    // Roll it back: every daemon of the group is told to undo it.
    browser.type("#rollout-reason-default", "breaks checkout");
    browser.click("#rollout-rollback-default");
    browser.await(
        "the rollout shows rolled back",
        d -> browser.text("#rollout-state-default").equals("ROLLED_BACK"));
    assertThat(browser.text("#rollout-reason-text-default")).isEqualTo("breaks checkout");
    assertThat(browser.find("#rollout-start-default").isDisplayed()).isTrue();
    assertThat(web1Listed().withdrawn()).isTrue();

    // The audit log, newest first: the deactivation on top.
    browser.click("#nav-audit");
    browser.awaitPage("/dashboard/audit");
    assertThat(browser.text("#audit tbody tr:first-child"))
        .contains("rollout.rollback")
        .contains("breaks checkout");
    assertThat(browser.text("#audit tbody tr:nth-child(2)"))
        .contains("rollout.pause")
        .contains("checkout errors on canary");
    assertThat(browser.text("#audit")).contains("host.deactivate").contains("change freeze");
    browser.screenshot(SCREENSHOTS.resolve("audit.png"), Browser.DESKTOP.getWidth(), false);

    // On a phone's screen the overview fits its width.
    browser.emulate(Browser.PHONE, true);
    browser.open(base + "/dashboard/");
    browser.awaitPage("/dashboard/");
    assertThat(count("hosts-deactivated")).isEqualTo("1");
    Number overflow =
        (Number)
            browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow.intValue()).as("page wider than the phone's screen").isLessThanOrEqualTo(0);
    browser.screenshot(SCREENSHOTS.resolve("overview-phone.png"), Browser.PHONE.getWidth(), true);
  }

  /**
   * A live subset that leaves out a class of jettison 1.5.1, published to two hosts in two groups;
   * each daemon reported that its JVM held it back for that (CLASSES_LEFT_OUT). The admin sees
   * where and which class, and accepts it for one group, then for every group, each time through
   * the API with the page's CSRF token; the hosts' update lists say so.
   */
  @Test
  void anAdmin_seesWhereAnUpdateIsHeldForTheClassesItLeavesOut_andAcceptsIt() throws Exception {
    serve(Backend.H2);
    String id = TestUpdates.LEFT_OUT_ID;
    server.admin().putGroup("payments", new GroupSettings(ApplyPolicy.AUTOMATIC, null));
    io.jsplice.fleet.api.EnrolmentReceipt db1 = server.enrolment("db-1");
    io.jsplice.fleet.api.EnrolmentReceipt db2 = server.enrolment("db-2");
    server.admin().moveToGroup("db-1", "payments");
    server.admin().publish(java.nio.file.Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
    String leftOutClass = server.admin().analysis(id).leftOut().get(0);
    for (var host : List.of(db1, db2)) {
      JvmInventory jvm = jettisonJvm(host.name().equals("db-1") ? 301 : 302);
      server
          .host(host)
          .report(
              new HostReport(
                  UUID.randomUUID().toString(),
                  Instant.now(),
                  "test",
                  List.of(jvm),
                  List.of(
                      new HostEvent(
                          UUID.randomUUID().toString(),
                          Instant.now(),
                          EventKind.APPLY_FAILED,
                          jvm.key(),
                          jvm.pid(),
                          id,
                          HostEvent.CLASSES_LEFT_OUT,
                          "update "
                              + id
                              + " leaves out 1 class(es) of the fixed release: "
                              + leftOutClass))));
      assertThat(listed(host).acceptLeftOut()).isFalse();
    }
    logIn();

    browser.open(base + "/dashboard/updates/" + id);
    browser.awaitPage("/dashboard/updates/" + id);
    assertThat(browser.text("#left-out-classes")).isEqualTo(leftOutClass);
    assertThat(browser.text("#left-out-accepted")).contains("no group");
    assertThat(browser.text("#left-out-held tr[data-host='db-1']"))
        .contains("payments")
        .contains("301")
        .contains(leftOutClass)
        .contains("Accept for group payments");
    assertThat(browser.text("#left-out-held tr[data-host='db-2']"))
        .contains("default")
        .contains("Accept for group default");

    // Without the page's CSRF token the same request is refused.
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/updates/"
                + id
                + "/left-out-acceptances', {method: 'POST', credentials: 'same-origin', headers:"
                + " {'Content-Type': 'application/json'}, body: '{\"group\": \"payments\"}'})"
                + ".then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
    assertThat(server.admin().update(id).leftOutAccepted()).isEmpty();

    browser.click("#left-out-held tr[data-host='db-1'] button");
    browser.await(
        "db-1's row shows the update accepted",
        d -> browser.text("#left-out-held tr[data-host='db-1']").contains("accepted"));
    assertThat(browser.text("#notice")).contains("hosts of group payments apply " + id);
    assertThat(browser.text("#left-out-accepted")).contains("payments");
    assertThat(browser.text("#left-out-held tr[data-host='db-2']"))
        .contains("Accept for group default");
    assertThat(server.admin().update(id).leftOutAccepted()).containsExactly("payments");
    assertThat(listed(db1).acceptLeftOut()).isTrue();
    assertThat(listed(db2).acceptLeftOut()).isFalse();
    assertThat(server.admin().groups().groups())
        .as("a decision for this update, not the group's policy for every update")
        .allSatisfy(g -> assertThat(g.acceptLeftOut()).isFalse());

    browser.click("#accept-left-out-every-group");
    browser.await(
        "db-2's row shows the update accepted",
        d -> browser.text("#left-out-held tr[data-host='db-2']").contains("accepted"));
    assertThat(browser.text("#left-out-accepted")).contains("every group");
    assertThat(listed(db2).acceptLeftOut()).isTrue();
    assertThat(server.admin().audit(0, 100).entries())
        .filteredOn(e -> e.action().equals("update.accept-left-out"))
        .extracting(e -> e.detail())
        .containsExactly("group payments", "every group");
  }

  /**
   * An update accepted for its classes left out in group payments (where db-1 applied it) and in
   * every group (so db-2, held for them before, is told to apply it). The admin withdraws the
   * acceptance for every group from the update page: db-2's list no longer accepts it and the page
   * offers to accept it for db-2's group again; then the one for payments: db-1 keeps the update,
   * which the page says (a withdrawal undoes nothing), and its list no longer accepts it either.
   * Without the page's CSRF token the same request is refused.
   */
  @Test
  void anAdmin_withdrawsAcceptancesOfTheClassesLeftOut_andSeesWhereTheUpdateIsKept()
      throws Exception {
    serve(Backend.H2);
    String id = TestUpdates.LEFT_OUT_ID;
    server.admin().putGroup("payments", new GroupSettings(ApplyPolicy.AUTOMATIC, null));
    io.jsplice.fleet.api.EnrolmentReceipt db1 = server.enrolment("db-1");
    io.jsplice.fleet.api.EnrolmentReceipt db2 = server.enrolment("db-2");
    server.admin().moveToGroup("db-1", "payments");
    server.admin().publish(java.nio.file.Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
    server.admin().acceptLeftOut(id, "payments");
    server.admin().acceptLeftOut(id, null);
    JvmInventory patched =
        jettisonJvm(
            301,
            List.of(
                new io.jsplice.fleet.api.JvmUpdate(id, Instant.now(), "jsplice-daemon", false)));
    server
        .host(db1)
        .report(
            new HostReport(
                UUID.randomUUID().toString(), Instant.now(), "test", List.of(patched), List.of()));
    JvmInventory held = jettisonJvm(302);
    server
        .host(db2)
        .report(
            new HostReport(
                UUID.randomUUID().toString(),
                Instant.now(),
                "test",
                List.of(held),
                List.of(
                    new HostEvent(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        EventKind.APPLY_FAILED,
                        held.key(),
                        held.pid(),
                        id,
                        HostEvent.CLASSES_LEFT_OUT,
                        "update " + id + " leaves out 1 class(es) of the fixed release"))));
    assertThat(listed(db1).acceptLeftOut()).isTrue();
    assertThat(listed(db2).acceptLeftOut()).isTrue();
    logIn();

    browser.open(base + "/dashboard/updates/" + id);
    browser.awaitPage("/dashboard/updates/" + id);
    assertThat(browser.text("#left-out-accepted")).contains("every group");
    assertThat(browser.text("#left-out-withdraw"))
        .contains("Withdraw the acceptance for every group")
        .contains("Withdraw the acceptance for group payments");
    assertThat(browser.text("#left-out-held tr[data-host='db-2']")).contains("accepted");
    assertThat(browser.findAll("#left-out-kept")).isEmpty();

    // Without the page's CSRF token the same request is refused.
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/updates/"
                + id
                + "/left-out-acceptances/payments', {method: 'DELETE', credentials: 'same-origin'})"
                + ".then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
    assertThat(server.admin().update(id).leftOutAccepted()).containsExactly("*", "payments");

    browser.click("#withdraw-left-out-every-group");
    browser.await(
        "db-2's row offers to accept the update for its group again",
        d -> browser.text("#left-out-held tr[data-host='db-2']").contains("Accept for group"));
    assertThat(browser.text("#notice"))
        .contains("withdrew the acceptance for every group")
        .contains("JVMs where it is in force keep it");
    assertThat(server.admin().update(id).leftOutAccepted()).containsExactly("payments");
    assertThat(listed(db2).acceptLeftOut()).isFalse();
    assertThat(listed(db1).acceptLeftOut()).isTrue();
    assertThat(browser.findAll("#left-out-kept")).as("payments still accepts it").isEmpty();

    browser.click("#withdraw-left-out-payments");
    browser.await(
        "the page lists where the update is kept",
        d -> !browser.findAll("#left-out-kept").isEmpty());
    assertThat(browser.text("#left-out-kept"))
        .contains("In force in 1 JVM(s) of groups that no longer accept the classes it leaves out")
        .contains("a withdrawn acceptance undoes nothing");
    assertThat(browser.text("#left-out-kept-jvms tr[data-host='db-1']"))
        .contains("payments")
        .contains("301");
    assertThat(browser.text("#left-out-accepted")).contains("no group");
    assertThat(browser.findAll("#left-out-withdraw")).isEmpty();
    assertThat(server.admin().update(id).leftOutAccepted()).isEmpty();
    assertThat(listed(db1).acceptLeftOut()).isFalse();
    assertThat(server.admin().audit(0, 100).entries())
        .filteredOn(e -> e.action().equals("update.withdraw-left-out"))
        .extracting(e -> e.detail())
        .containsExactly("every group", "group payments");
  }

  /**
   * An update's history on a host, on PostgreSQL. web-1's daemon reported the Text4Shell update
   * failing in JVM 101 (code busy), then applied there, then reapplied by the agent of JVM 103 (a
   * restart), and the jettison live subset held in JVM 301 for the classes it leaves out; web-2's
   * daemon reported the Text4Shell update failing in JVM 201 (run-pre mismatch). From the host page
   * each update links to its history there (newest first, with pid and cause, nothing of another
   * host), and from the update page each host's row does; a misspelt host is an error, not an empty
   * history. The page keeps the Content-Security-Policy, runs no inline script, and fits a phone.
   */
  @Test
  void anAdmin_readsAnUpdatesHistoryOnAHost_fromTheHostAndTheUpdatePages() throws Exception {
    serve(Backend.POSTGRESQL);
    String text4shell = TestUpdates.UPDATE_ID;
    String jettison = TestUpdates.LEFT_OUT_ID;
    FleetClient web1 = server.enrol("web-1");
    FleetClient web2 = server.enrol("web-2");
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    server.admin().publish(java.nio.file.Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
    JvmInventory busy = Reports.jvm(101, "1.9");
    JvmInventory patched = Reports.jvm(101, "1.9", text4shell);
    JvmInventory restarted = Reports.jvm(103, "1.9", text4shell);
    JvmInventory held = jettisonJvm(301);
    web1.report(
        report(
            List.of(busy, held),
            event(
                EventKind.APPLY_FAILED,
                busy,
                text4shell,
                "CODE_BUSY",
                "JVM 101 ran a method the update changes")));
    web1.report(
        report(
            List.of(patched, held),
            event(EventKind.APPLIED, patched, text4shell, null, "applied to JVM 101")));
    web1.report(
        report(
            List.of(restarted, held),
            event(
                EventKind.REAPPLIED_BY_AGENT,
                restarted,
                text4shell,
                null,
                "JVM 103 started and its agent reapplied it"),
            event(
                EventKind.APPLY_FAILED,
                held,
                jettison,
                HostEvent.CLASSES_LEFT_OUT,
                "update " + jettison + " leaves out 1 class(es) of the fixed release")));
    JvmInventory mismatch = Reports.jvm(201, "1.9");
    web2.report(
        report(
            List.of(mismatch),
            event(
                EventKind.APPLY_FAILED,
                mismatch,
                text4shell,
                "RUN_PRE_MISMATCH",
                "JVM 201 runs other code than the update was built against")));
    logIn();

    // The host page: each update that concerns it, JVM by JVM, with its state and history.
    browser.open(base + "/dashboard/hosts/web-1");
    browser.awaitPage("/dashboard/hosts/web-1");
    assertThat(browser.text("#host-updates tr[data-update='" + text4shell + "'][data-pid='103']"))
        .contains("in force");
    assertThat(browser.text("#host-updates tr[data-update='" + jettison + "'][data-pid='301']"))
        .contains("held: classes left out")
        .contains(HostEvent.CLASSES_LEFT_OUT);

    browser.click("#host-updates tr[data-update='" + jettison + "'] a.history");
    String heldHistory = "/dashboard/hosts/web-1/updates/" + jettison;
    browser.awaitPage(heldHistory);
    assertThat(browser.findAll("#history tbody tr")).hasSize(1);
    assertThat(browser.text("#history tbody tr"))
        .contains("APPLY_FAILED")
        .contains("301")
        .contains(HostEvent.CLASSES_LEFT_OUT);
    assertThat(browser.text("#history-jvms tr[data-pid='301']")).contains("held: classes left out");

    browser.click("#history-host");
    browser.awaitPage("/dashboard/hosts/web-1");
    browser.click("#host-updates tr[data-update='" + text4shell + "'] a.history");
    String history = "/dashboard/hosts/web-1/updates/" + text4shell;
    browser.awaitPage(history);
    // Newest first, each with its JVM's pid and cause; web-2's failure is not web-1's history.
    assertThat(
            browser.findAll("#history tbody tr").stream()
                .map(row -> row.getAttribute("data-kind"))
                .toList())
        .containsExactly("REAPPLIED_BY_AGENT", "APPLIED", "APPLY_FAILED");
    assertThat(browser.text("#history tbody tr:nth-child(1)")).contains("103");
    assertThat(browser.text("#history tbody tr:nth-child(2)")).contains("101");
    assertThat(browser.text("#history tbody tr:nth-child(3)"))
        .contains("101")
        .contains("CODE_BUSY");
    assertThat(browser.text("#history")).doesNotContain("RUN_PRE_MISMATCH").doesNotContain("201");
    assertThat(browser.text("#history-jvms tr[data-pid='103']")).contains("in force");
    browser.screenshot(SCREENSHOTS.resolve("history.png"), Browser.DESKTOP.getWidth(), false);

    // Same CSP as every page, and no inline script.
    Object csp =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(location.href, {credentials: 'same-origin'})"
                + ".then(r => done(r.headers.get('Content-Security-Policy')));");
    assertThat((String) csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(
            ((Number)
                    browser.script("return document.querySelectorAll('script:not([src])').length;"))
                .intValue())
        .isZero();

    // From the update page, per host: web-2's history holds its own failure only.
    browser.open(base + "/dashboard/updates/" + text4shell);
    browser.awaitPage("/dashboard/updates/" + text4shell);
    assertThat(browser.text("#update-jvms tr[data-host='web-2']")).contains("failed");
    browser.click("#update-jvms tr[data-host='web-2'] a.history");
    browser.awaitPage("/dashboard/hosts/web-2/updates/" + text4shell);
    assertThat(browser.findAll("#history tbody tr")).hasSize(1);
    assertThat(browser.text("#history tbody tr"))
        .contains("APPLY_FAILED")
        .contains("201")
        .contains("RUN_PRE_MISMATCH");
    assertThat(browser.text("#history-jvms tr[data-pid='201']")).contains("failed");

    // A host that never enrolled is an error (the API's 404), not "nothing happened".
    browser.open(base + "/dashboard/hosts/web-9/updates/" + text4shell);
    browser.awaitPage("/dashboard/hosts/web-9/updates/" + text4shell);
    assertThat(browser.text("#page-error")).contains("web-9");
    assertThat(browser.findAll("#history")).isEmpty();

    // On a phone's screen the history fits its width, the newest event's kind, pid and cause shown.
    browser.emulate(Browser.PHONE, true);
    browser.open(base + history);
    browser.awaitPage(history);
    Number overflow =
        (Number)
            browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow.intValue()).as("page wider than the phone's screen").isLessThanOrEqualTo(0);
    Number hidden =
        (Number)
            browser.script(
                "const row = document.querySelector('#history tbody tr:nth-child(3)');"
                    + "return [...row.cells].slice(0, 4).filter(c => c.getBoundingClientRect().right"
                    + " > document.documentElement.clientWidth).length;");
    assertThat(hidden.intValue()).as("cells beyond the phone's screen").isZero();
    browser.screenshot(SCREENSHOTS.resolve("history-phone.png"), Browser.PHONE.getWidth(), true);
  }

  /**
   * An auditor's question from the overview: which JVMs are still exposed to CVE-2022-42889? web-1
   * runs the Text4Shell update in JVM 101, not in 102; web-2 runs 1.9 without it. The page lists
   * the exposed first, links each to its history, and offers the CSV, which the session downloads.
   */
  @Test
  void anAdmin_asksWhichJvmsAreStillExposedToACve_andDownloadsTheCsv() throws Exception {
    serve(Backend.H2);
    String id = TestUpdates.UPDATE_ID;
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    server.enrol("web-1").report(Reports.of(Reports.jvm(101, "1.9", id), Reports.jvm(102, "1.9")));
    server.enrol("web-2").report(Reports.of(Reports.jvm(201, "1.9")));
    logIn();

    browser.type("#cve-query", "CVE-2022-42889");
    browser.click("#cve-show");
    browser.awaitPage("/dashboard/cves/CVE-2022-42889");
    assertThat(browser.text("#cve-summary"))
        .isEqualTo("2 JVM(s) on 2 host(s) still exposed, 1 patched");
    assertThat(
            browser.findAll("#cve-jvms tbody tr").stream()
                .map(row -> row.getAttribute("data-host") + "/" + row.getAttribute("data-pid"))
                .toList())
        .containsExactly("web-1/102", "web-2/201", "web-1/101");
    assertThat(browser.text("#cve-jvms tr[data-pid='201']"))
        .contains("exposed")
        .contains("missing " + id);
    assertThat(browser.text("#cve-jvms tr[data-pid='101']"))
        .contains("patched")
        .contains("by " + id);
    browser.screenshot(SCREENSHOTS.resolve("cve.png"), Browser.DESKTOP.getWidth(), false);

    // The CSV link is the API's, answered for the session: the auditor's file.
    Object csv =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(document.querySelector('#cve-csv').href, {credentials: 'same-origin'})"
                + ".then(r => r.text()).then(done);");
    // The text reaches the test with LF line ends; CveExposureTest checks the CSV bytes over HTTP.
    assertThat((String) csv)
        .isEqualToNormalizingNewlines(server.admin().cveExposure("CVE-2022-42889").csv());

    browser.click("#cve-jvms tr[data-pid='201'] a.history");
    browser.awaitPage("/dashboard/hosts/web-2/updates/" + id);
  }

  private static HostReport report(List<JvmInventory> jvms, HostEvent... events) {
    return new HostReport(
        UUID.randomUUID().toString(), Instant.now(), "test", jvms, List.of(events));
  }

  private static HostEvent event(
      EventKind kind, JvmInventory jvm, String update, String cause, String message) {
    return new HostEvent(
        UUID.randomUUID().toString(),
        Instant.now(),
        kind,
        jvm.key(),
        jvm.pid(),
        update,
        cause,
        message);
  }

  private io.jsplice.fleet.api.AvailableUpdate listed(io.jsplice.fleet.api.EnrolmentReceipt host)
      throws Exception {
    return server.host(host).updates(null).value().updates().get(0);
  }

  private static JvmInventory jettisonJvm(long pid) {
    return jettisonJvm(pid, List.of());
  }

  private static JvmInventory jettisonJvm(long pid, List<io.jsplice.fleet.api.JvmUpdate> updates) {
    return new JvmInventory(
        pid + "@1700000000000",
        pid,
        "JsonService",
        "java -jar json.jar",
        "17.0.10",
        Instant.ofEpochMilli(1_700_000_000_000L),
        true,
        null,
        List.of(
            new LoadedArtifact(
                TestUpdates.Jettison.GROUP_ID,
                TestUpdates.Jettison.ARTIFACT_ID,
                "1.5.0",
                null,
                "/srv/json/lib/jettison-1.5.0.jar")),
        updates,
        StaleVerdict.CURRENT,
        RestartOutlook.SAME);
  }
}
