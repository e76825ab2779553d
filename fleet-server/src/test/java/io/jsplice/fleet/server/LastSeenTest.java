package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When hosts were last seen: a poll is noted in memory and written in a batch (at the latest when
 * the server stops), so it survives a restart; a host never seen since it enrolled counts as
 * silent.
 */
class LastSeenTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPollIsWrittenAsLastSeen_andAHostNeverSeenCountsAsSilent(Backend backend) throws Exception {
    ServerConfig config =
        ServerConfig.embedded(dir, List.of(TestUpdates.get().trustedCertificate()))
            .withDatabase(backend.newDatabase("last_seen"));
    Instant beforePoll;
    try (RunningServer server = RunningServer.start(config)) {
      FleetClient polling = server.enrol("polling");
      server.enrol("quiet");
      assertThat(server.admin().host("polling").host().lastSeen()).as("enrolled only").isNull();
      beforePoll = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      polling.updates(null);
    } // stopping writes the times not written yet
    try (RunningServer server = RunningServer.start(config)) {
      assertThat(server.admin().host("polling").host().lastSeen())
          .isNotNull()
          .isAfterOrEqualTo(beforePoll)
          .isBeforeOrEqualTo(Instant.now());
      assertThat(server.admin().host("quiet").host().lastSeen()).isNull();
      assertThat(server.admin().status().hostsSilent()).isEqualTo(1);
    }
  }
}
