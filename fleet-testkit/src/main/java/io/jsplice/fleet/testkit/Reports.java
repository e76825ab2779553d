package io.jsplice.fleet.testkit;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reports as a daemon sends them, for the server tests. */
public final class Reports {
  private Reports() {}

  /** A JVM that loaded commons-text {@code version} (and commons-lang3), with these updates. */
  public static JvmInventory jvm(long pid, String version, String... applied) {
    List<JvmUpdate> updates =
        java.util.Arrays.stream(applied)
            .map(id -> new JvmUpdate(id, Instant.now(), "root", false))
            .toList();
    return new JvmInventory(
        pid + "@1700000000000",
        pid,
        "Text4Shell",
        "java -cp app:lib/* Text4Shell",
        "17.0.10",
        Instant.ofEpochMilli(1_700_000_000_000L),
        applied.length > 0,
        null,
        List.of(
            new LoadedArtifact(
                TestUpdates.GROUP_ID,
                TestUpdates.ARTIFACT_ID,
                version,
                applied.length > 0 ? "1.10.0" : null,
                "/srv/app/lib/commons-text-" + version + ".jar"),
            new LoadedArtifact(
                "org.apache.commons", "commons-lang3", "3.12.0", null, "/srv/app/lib/lang3.jar")),
        updates,
        StaleVerdict.CURRENT,
        RestartOutlook.SAME);
  }

  public static HostReport of(JvmInventory... jvms) {
    return new HostReport(
        UUID.randomUUID().toString(), Instant.now(), "test", List.of(jvms), List.of());
  }

  public static HostReport withEvent(EventKind kind, String updateId, JvmInventory jvm) {
    return new HostReport(
        UUID.randomUUID().toString(),
        Instant.now(),
        "test",
        List.of(jvm),
        List.of(
            new HostEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                kind,
                jvm.key(),
                jvm.pid(),
                updateId,
                kind == EventKind.APPLY_FAILED ? "RUN_PRE_MISMATCH" : null,
                kind + " " + updateId)));
  }
}
