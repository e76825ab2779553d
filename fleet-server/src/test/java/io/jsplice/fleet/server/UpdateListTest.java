package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.api.client.Polled;
import io.jsplice.fleet.server.store.Secrets;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a host's update list says and when its ETag changes: an unchanged poll is a 304, and
 * everything the list depends on (a publish, the host's libraries, its state, its group's policy
 * and approvals) gives a new tag. On embedded H2 and on PostgreSQL.
 */
class UpdateListTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anUnchangedPoll_is304_andEveryRelevantChangeGivesANewTag(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "update_list")) {
      FleetClient host = server.enrol("web-1");
      Polled<UpdateList> first = host.updates(null);
      assertThat(first.modified()).isTrue();
      assertThat(first.value().updates()).isEmpty();
      assertThat(host.updates(first.etag()).modified()).isFalse();

      // Publishing something no JVM of the host loaded changes nothing for it but the tag.
      host.report(Reports.of(Reports.jvm(11, "1.9")));
      Polled<UpdateList> reported = host.updates(first.etag());
      assertThat(reported.modified()).isTrue();
      assertThat(reported.value().updates()).isEmpty();
      assertThat(host.updates(reported.etag()).modified()).isFalse();

      PublishReceipt receipt =
          server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      Polled<UpdateList> published = host.updates(reported.etag());
      assertThat(published.modified()).isTrue();
      assertThat(published.value().updates()).hasSize(1);
      AvailableUpdate update = published.value().updates().get(0);
      assertThat(update.id()).isEqualTo(TestUpdates.UPDATE_ID);
      assertThat(update.approved()).isTrue();
      assertThat(update.cves()).containsExactly("CVE-2022-42889");
      assertThat(update.targets())
          .anySatisfy(
              t -> {
                assertThat(t.groupId()).isEqualTo(TestUpdates.GROUP_ID);
                assertThat(t.artifactId()).isEqualTo(TestUpdates.ARTIFACT_ID);
                assertThat(t.fromVersion()).isEqualTo("1.9");
                assertThat(t.toVersion()).isEqualTo("1.10.0");
              });
      assertThat(update.sha256()).isEqualTo(receipt.update().sha256());

      // The package is the published bytes, unchanged.
      byte[] content = host.updatePackage(TestUpdates.UPDATE_ID);
      assertThat(content).isEqualTo(TestUpdates.get().bytes(TestUpdates.get().signed()));
      assertThat(Secrets.sha256(content)).isEqualTo(update.sha256());

      // The same report again: same tag.
      host.report(Reports.of(Reports.jvm(11, "1.9")));
      assertThat(host.updates(published.etag()).modified()).isFalse();

      // A JVM on another release: the update no longer applies to the host.
      host.report(Reports.of(Reports.jvm(12, "1.10.0")));
      Polled<UpdateList> upgraded = host.updates(published.etag());
      assertThat(upgraded.modified()).isTrue();
      assertThat(upgraded.value().updates()).isEmpty();
      assertThatThrownBy(() -> host.updatePackage(TestUpdates.UPDATE_ID))
          .isInstanceOf(FleetException.class)
          .hasMessage("update \"CVE-2022-42889\" is not in host web-1's update list");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void underApproval_anUpdateIsListedButNotApprovedUntilAnAdminApprovesIt(Backend backend)
      throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "approval")) {
      FleetClient admin = server.admin();
      admin.putGroup("production", new GroupSettings(ApplyPolicy.APPROVAL, null));
      FleetClient host = server.enrol("db-1");
      admin.moveToGroup("db-1", "production");
      host.report(Reports.of(Reports.jvm(21, "1.9")));
      admin.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));

      Polled<UpdateList> waiting = host.updates(null);
      assertThat(waiting.value().policy()).isEqualTo(ApplyPolicy.APPROVAL);
      assertThat(waiting.value().updates())
          .singleElement()
          .satisfies(u -> assertThat(u.approved()).isFalse());
      assertThatThrownBy(() -> host.updatePackage(TestUpdates.UPDATE_ID))
          .isInstanceOfSatisfying(
              FleetException.class, e -> assertThat(e.is(ErrorCode.FORBIDDEN)).isTrue())
          .hasMessage("update CVE-2022-42889 is not approved for group production yet");

      admin.approve(TestUpdates.UPDATE_ID, "production");
      Polled<UpdateList> approved = host.updates(waiting.etag());
      assertThat(approved.modified()).isTrue();
      assertThat(approved.value().updates())
          .singleElement()
          .satisfies(u -> assertThat(u.approved()).isTrue());
      assertThat(host.updatePackage(TestUpdates.UPDATE_ID)).isNotEmpty();

      admin.revokeApproval(TestUpdates.UPDATE_ID, "production");
      Polled<UpdateList> revoked = host.updates(approved.etag());
      assertThat(revoked.value().updates())
          .singleElement()
          .satisfies(u -> assertThat(u.approved()).isFalse());

      assertThat(admin.audit(0, 100).entries())
          .extracting(e -> e.action() + " " + e.target())
          .containsSubsequence(
              "group.create production",
              "host.group db-1",
              "update.publish CVE-2022-42889",
              "update.approve CVE-2022-42889",
              "update.revoke CVE-2022-42889");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deactivation_refusesTheListAndReactivationRestoresIt(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "deactivation")) {
      FleetClient host = server.enrol("app-1");
      host.report(Reports.of(Reports.jvm(31, "1.9")));
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      Polled<UpdateList> before = host.updates(null);

      server.admin().deactivate("app-1", "under investigation");
      assertThatThrownBy(() -> host.updates(before.etag()))
          .isInstanceOfSatisfying(
              FleetException.class, e -> assertThat(e.is(ErrorCode.HOST_DEACTIVATED)).isTrue())
          .hasMessageContaining("under investigation");
      assertThatThrownBy(() -> host.updatePackage(TestUpdates.UPDATE_ID))
          .isInstanceOfSatisfying(
              FleetException.class, e -> assertThat(e.is(ErrorCode.HOST_DEACTIVATED)).isTrue());

      server.admin().activate("app-1");
      Polled<UpdateList> after = host.updates(before.etag());
      assertThat(after.modified()).as("a new tag after the state changed twice").isTrue();
      assertThat(after.value().updates()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void publishing_isIdempotentForTheSameBytes(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "republish")) {
      byte[] bytes = TestUpdates.get().bytes(TestUpdates.get().signed());
      assertThat(server.admin().publish(bytes).alreadyPublished()).isFalse();
      assertThat(server.admin().publish(bytes).alreadyPublished()).isTrue();
      assertThat(server.admin().updates().updates()).hasSize(1);
      assertThat(server.admin().audit(0, 100).entries())
          .filteredOn(e -> e.action().equals("update.publish"))
          .hasSize(1);
    }
  }
}
