package io.jsplice.agent.engine;

import io.jsplice.model.Artifact;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.RecordChange;
import io.jsplice.protocol.message.ServiceState;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.UpdatesSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's state as the control channel's replies. */
final class Reports {
  private Reports() {}

  static ApplyReply applied(Engine.ApplyResult result, UpdatePackage update, RecordChange record) {
    return new ApplyReply(
        result.updateId(),
        update.update().description(),
        result.switched(),
        result.pending(),
        result.forcedFrames(),
        result.warnings(),
        result.checkMillis(),
        result.switchMillis(),
        record,
        result.inForce(),
        result.notInForce(),
        update.update().leftOut());
  }

  /** Short, for the status reply: ids and effective versions. */
  static UpdatesSummary summary(Engine engine) {
    return new UpdatesSummary(
        engine.applied().stream().map(AppliedUpdate::id).toList(), effectiveVersions(engine));
  }

  static ShowReply show(Engine engine, ServiceState service) {
    List<ShowReply.Update> updates = new ArrayList<>();
    for (AppliedUpdate a : engine.applied()) {
      Update u = a.update().update();
      updates.add(
          new ShowReply.Update(
              u.id(),
              u.description(),
              u.cves(),
              u.artifacts().stream().map(Reports::artifact).toList(),
              a.appliedAt().toString(),
              a.appliedBy(),
              a.reapplied(),
              u.applicability().verdict(),
              a.switched(),
              a.pending(),
              a.dependsOn(),
              a.forcedFrames(),
              a.warnings(),
              u.classes().stream()
                  .map(
                      c ->
                          c.name()
                              + ": "
                              + c.changes().size()
                              + " change(s), "
                              + c.status().name().toLowerCase())
                  .toList(),
              a.inForce(),
              a.notInForce(),
              u.hooks()));
    }
    List<ShowReply.LoadEvent> loads = new ArrayList<>();
    for (PatchTransformer.LoadEvent e : engine.loadEvents()) {
      loads.add(new ShowReply.LoadEvent(e.className(), e.origin(), e.updateId(), e.mismatch()));
    }
    return new ShowReply(updates, effectiveVersions(engine), loads, service);
  }

  /**
   * What uptrack-uname says for a kernel: per patched artifact, the version on disk and the one its
   * code now effectively is ("commons-text 1.9, effectively 1.10.0").
   */
  static List<EffectiveVersion> effectiveVersions(Engine engine) {
    Map<String, EffectiveVersion> byArtifact = new LinkedHashMap<>();
    for (AppliedUpdate a : engine.applied()) {
      for (Artifact artifact : a.update().update().artifacts()) {
        String key = artifact.groupId() + ":" + artifact.artifactId();
        EffectiveVersion before = byArtifact.get(key);
        // The version on disk is the one the first update was built from.
        String onDisk =
            before != null && before.version() != null ? before.version() : artifact.fromVersion();
        byArtifact.put(
            key,
            new EffectiveVersion(
                artifact.artifactId(),
                artifact.groupId(),
                onDisk,
                artifact.toVersion(),
                artifact.artifactId()
                    + (onDisk == null ? "" : " " + onDisk)
                    + ", effectively "
                    + (artifact.toVersion() == null
                        ? "patched by " + a.id()
                        : artifact.toVersion())));
      }
    }
    return new ArrayList<>(byArtifact.values());
  }

  private static ShowReply.Artifact artifact(Artifact a) {
    return new ShowReply.Artifact(a.groupId(), a.artifactId(), a.fromVersion(), a.toVersion());
  }
}
