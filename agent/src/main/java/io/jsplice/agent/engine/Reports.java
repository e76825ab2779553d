package io.jsplice.agent.engine;

import io.jsplice.model.Artifact;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's state as JSON-writable maps, for the control channel's replies. */
final class Reports {
  private Reports() {}

  static Map<String, Object> applied(Engine.ApplyResult result, UpdatePackage update) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("applied", result.updateId());
    out.put("description", update.update().description());
    out.put("switched", result.switched());
    out.put("pending", result.pending());
    out.put("forcedFrames", result.forcedFrames());
    out.put("warnings", result.warnings());
    out.put("checkMillis", result.checkMillis());
    out.put("switchMillis", result.switchMillis());
    return out;
  }

  /** Short, for the status reply: ids and effective versions. */
  static Map<String, Object> summary(Engine engine) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> ids = new ArrayList<>();
    for (AppliedUpdate a : engine.applied()) {
      ids.add(a.id());
    }
    out.put("applied", ids);
    out.put("effective", effectiveVersions(engine));
    return out;
  }

  static Map<String, Object> show(Engine engine) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> updates = new ArrayList<>();
    for (AppliedUpdate a : engine.applied()) {
      Update u = a.update().update();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", u.id());
      m.put("description", u.description());
      m.put("cves", u.cves());
      m.put("artifacts", u.artifacts().stream().map(Reports::artifact).toList());
      m.put("appliedAt", a.appliedAt().toString());
      m.put("appliedBy", a.appliedBy());
      m.put("reapplied", a.reapplied());
      m.put("verdict", u.applicability().verdict());
      m.put("switched", a.switched());
      m.put("pending", a.pending());
      m.put("dependsOn", a.dependsOn());
      m.put("forcedFrames", a.forcedFrames());
      m.put("warnings", a.warnings());
      m.put(
          "changes",
          u.classes().stream()
              .map(
                  c ->
                      c.name()
                          + ": "
                          + c.changes().size()
                          + " change(s), "
                          + c.status().name().toLowerCase())
              .toList());
      updates.add(m);
    }
    out.put("updates", updates);
    out.put("effective", effectiveVersions(engine));
    List<Object> loads = new ArrayList<>();
    for (PatchTransformer.LoadEvent e : engine.loadEvents()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("class", e.className());
      m.put("origin", e.origin());
      m.put("update", e.updateId());
      m.put("mismatch", e.mismatch());
      loads.add(m);
    }
    out.put("loadedAfterApply", loads);
    return out;
  }

  /**
   * What uptrack-uname says for a kernel: per patched artifact, the version on disk and the one its
   * code now effectively is ("commons-text 1.9, effectively 1.10.0").
   */
  static List<Object> effectiveVersions(Engine engine) {
    Map<String, Map<String, Object>> byArtifact = new LinkedHashMap<>();
    for (AppliedUpdate a : engine.applied()) {
      for (Artifact artifact : a.update().update().artifacts()) {
        String key = artifact.groupId() + ":" + artifact.artifactId();
        Map<String, Object> m = byArtifact.computeIfAbsent(key, k -> new LinkedHashMap<>());
        m.put("artifact", artifact.artifactId());
        m.put("groupId", artifact.groupId());
        m.putIfAbsent("version", artifact.fromVersion());
        m.put("effectively", artifact.toVersion());
        Object onDisk = m.get("version");
        m.put(
            "line",
            artifact.artifactId()
                + (onDisk == null ? "" : " " + onDisk)
                + ", effectively "
                + (artifact.toVersion() == null ? "patched by " + a.id() : artifact.toVersion()));
      }
    }
    return new ArrayList<>(byArtifact.values());
  }

  private static Map<String, Object> artifact(Artifact a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groupId", a.groupId());
    m.put("artifactId", a.artifactId());
    m.put("fromVersion", a.fromVersion());
    m.put("toVersion", a.toVersion());
    return m;
  }
}
