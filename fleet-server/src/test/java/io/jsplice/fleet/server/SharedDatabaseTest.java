package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.Polled;
import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Postgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database act as one: the credentials the first created work on
 * both, a change through one is seen through the other at once, and the update list's ETag is the
 * same from both (it is made of database revisions).
 */
class SharedDatabaseTest {
  @TempDir Path dir;

  @Test
  void twoServersOnOnePostgresDatabase_actAsOne() throws Exception {
    DatabaseSettings db =
        new DatabaseSettings(
            Postgres.get().newDatabase("shared"), Postgres.USER, Postgres.PASSWORD, 5);
    List<Path> trust = List.of(TestUpdates.get().trustedCertificate());
    try (RunningServer first =
            RunningServer.start(ServerConfig.embedded(dir.resolve("a"), trust).withDatabase(db));
        RunningServer second =
            RunningServer.start(ServerConfig.embedded(dir.resolve("b"), trust).withDatabase(db))) {
      assertThat(first.server().credentials()).allMatch(Credentials.Setup::created);
      assertThat(second.server().credentials())
          .noneMatch(Credentials.Setup::created)
          .allSatisfy(s -> assertThat(s.note()).contains("created by another server"));
      assertThat(dir.resolve("b").resolve(Credentials.ADMIN_FILE)).doesNotExist();

      // The first server's credentials, used on the second.
      String admin = first.secret(Credentials.ADMIN_FILE);
      FleetClient adminOnSecond = second.anonymous().withCredential(admin);
      FleetClient enrolOnSecond =
          second.anonymous().withCredential(first.secret(Credentials.ENROL_FILE));
      String secret =
          enrolOnSecond
              .enrol(new io.jsplice.fleet.api.Enrolment("web-1", null, null, null))
              .secret();
      FleetClient hostOnFirst = first.anonymous().withCredential(secret);
      FleetClient hostOnSecond = second.anonymous().withCredential(secret);
      hostOnFirst.report(Reports.of(Reports.jvm(1, "1.9")));

      Polled<UpdateList> viaFirst = hostOnFirst.updates(null);
      Polled<UpdateList> viaSecond = hostOnSecond.updates(null);
      assertThat(viaSecond.etag()).isEqualTo(viaFirst.etag());
      assertThat(hostOnSecond.updates(viaFirst.etag()).modified()).isFalse();

      adminOnSecond.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      Polled<UpdateList> afterPublish = hostOnFirst.updates(viaFirst.etag());
      assertThat(afterPublish.modified()).isTrue();
      assertThat(afterPublish.value().updates()).hasSize(1);

      first.admin().deactivate("web-1", "moved");
      assertThat(adminOnSecond.host("web-1").host().state()).isEqualTo(HostState.DEACTIVATED);
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> hostOnSecond.updates(afterPublish.etag())))
          .hasMessageContaining("deactivated");
      assertThat(adminOnSecond.audit(0, 100).entries())
          .extracting(e -> e.action())
          .containsExactly("host.enrol", "update.publish", "host.deactivate");
    }
  }
}
