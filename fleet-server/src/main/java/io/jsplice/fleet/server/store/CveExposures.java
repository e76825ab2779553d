package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.Advisory;
import io.jsplice.fleet.api.CveExposure;
import io.jsplice.fleet.api.CveJvm;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateTarget;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Which JVMs are still exposed to CVE X", fleet-wide: the releases the imported advisories naming
 * it cover and those the published updates naming it target, against what the daemons reported.
 * Read in one transaction, so the answer is one state of the fleet.
 */
public final class CveExposures {
  private final Database db;

  public CveExposures(Database db) {
    this.db = db;
  }

  /**
   * @throws ApiException {@code NOT_FOUND} when no imported advisory and no published update names
   *     {@code cve}: a misspelt id is not read as "nothing is exposed"
   */
  public CveExposure of(String cve) {
    return db.read(
        connection -> {
          List<Advisory> advisories =
              Advisories.load(connection, null, null).stream()
                  .filter(a -> a.id().equalsIgnoreCase(cve) || containsIgnoreCase(a.cves(), cve))
                  .toList();
          List<PublishedUpdate> updates = new ArrayList<>();
          for (String id : updateIds(connection, cve)) {
            updates.add(Updates.get(connection, id));
          }
          if (advisories.isEmpty() && updates.isEmpty()) {
            throw ApiException.notFound(
                "no imported advisory and no published update names "
                    + cve
                    + "; check the id, or import advisories (jsplice fleet advisories import)");
          }
          Map<String, Found> found = new LinkedHashMap<>();
          Set<String> libraries = new LinkedHashSet<>();
          advisories.forEach(
              a -> a.affected().forEach(r -> libraries.add(r.groupId() + ":" + r.artifactId())));
          updates.forEach(
              u ->
                  u.targets().stream()
                      .filter(t -> t.groupId() != null)
                      .forEach(t -> libraries.add(t.groupId() + ":" + t.artifactId())));
          for (String library : libraries) {
            String[] ga = library.split(":", 2);
            loaded(connection, ga[0], ga[1], advisories, updates, found);
          }
          Set<String> ids = new LinkedHashSet<>();
          updates.forEach(u -> ids.add(u.id()));
          running(connection, ids, found);
          Map<String, String> failures = failures(connection, ids);
          List<CveJvm> jvms = new ArrayList<>();
          for (Map.Entry<String, Found> entry : found.entrySet()) {
            Found f = entry.getValue();
            List<String> missing =
                f.targetedBy.stream().filter(id -> !f.patchedBy.contains(id)).toList();
            jvms.add(
                new CveJvm(
                    f.host,
                    f.group,
                    f.jvmKey,
                    f.pid,
                    f.mainClass,
                    f.library,
                    f.patchedBy.isEmpty(),
                    List.copyOf(f.patchedBy),
                    missing,
                    failures.get(entry.getKey())));
          }
          jvms.sort(
              Comparator.comparing((CveJvm j) -> !j.exposed())
                  .thenComparing(CveJvm::host)
                  .thenComparingLong(CveJvm::pid)
                  .thenComparing(CveJvm::jvmKey));
          return new CveExposure(
              cve, advisories.stream().map(Advisory::id).toList(), List.copyOf(ids), jvms);
        });
  }

  /** A JVM found so far, keyed by host id and JVM key. */
  private static final class Found {
    String host;
    String group;
    String jvmKey;
    long pid;
    String mainClass;
    String library;
    final Set<String> targetedBy = new LinkedHashSet<>();
    final Set<String> patchedBy = new LinkedHashSet<>();
  }

  private static boolean containsIgnoreCase(List<String> values, String wanted) {
    return values.stream().anyMatch(v -> v.equalsIgnoreCase(wanted));
  }

  private static List<String> updateIds(Connection connection, String cve) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT id, cves FROM published_update ORDER BY published_at, id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        String cves = rows.getString(2);
        if (cves != null && containsIgnoreCase(List.of(cves.split("\n")), cve)) {
          out.add(rows.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * The JVMs that loaded {@code group:artifact} at a release an advisory covers or an update
   * targets.
   */
  private static void loaded(
      Connection connection,
      String groupId,
      String artifactId,
      List<Advisory> advisories,
      List<PublishedUpdate> updates,
      Map<String, Found> found)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT h.name, h.group_name, j.host_id, j.jvm_key, j.pid, j.main_class, a.version"
                + " FROM jvm j JOIN host h ON h.id = j.host_id JOIN jvm_artifact a ON a.host_id ="
                + " j.host_id AND a.jvm_key = j.jvm_key WHERE a.group_id = ? AND a.artifact_id ="
                + " ?")) {
      query.setString(1, groupId);
      query.setString(2, artifactId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String version = rows.getString("version");
          LoadedArtifact artifact = new LoadedArtifact(groupId, artifactId, version, null, null);
          List<String> targetedBy = new ArrayList<>();
          for (PublishedUpdate u : updates) {
            for (UpdateTarget t : u.targets()) {
              if (t.matches(artifact)) {
                targetedBy.add(u.id());
              }
            }
          }
          boolean covered =
              advisories.stream()
                  .flatMap(a -> a.affected().stream())
                  .anyMatch(
                      r ->
                          r.groupId().equals(groupId)
                              && r.artifactId().equals(artifactId)
                              && Advisories.affects(r, version));
          if (!covered && targetedBy.isEmpty()) {
            continue;
          }
          Found f = found(rows, found);
          f.library = groupId + ":" + artifactId + ":" + version;
          f.targetedBy.addAll(targetedBy);
        }
      }
    }
  }

  /** Adds the updates in {@code ids} in force in each JVM, and the JVMs that run one. */
  private static void running(Connection connection, Set<String> ids, Map<String, Found> found)
      throws SQLException {
    for (String id : ids) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT h.name, h.group_name, j.host_id, j.jvm_key, j.pid, j.main_class FROM"
                  + " jvm_update u JOIN jvm j ON j.host_id = u.host_id AND j.jvm_key = u.jvm_key"
                  + " JOIN host h ON h.id = j.host_id WHERE u.update_id = ?")) {
        query.setString(1, id);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            found(rows, found).patchedBy.add(id);
          }
        }
      }
    }
  }

  private static Found found(ResultSet rows, Map<String, Found> found) throws SQLException {
    String key = rows.getString("host_id") + "/" + rows.getString("jvm_key");
    Found f = found.get(key);
    if (f == null) {
      f = new Found();
      f.host = rows.getString("name");
      f.group = rows.getString("group_name");
      f.jvmKey = rows.getString("jvm_key");
      f.pid = rows.getLong("pid");
      f.mainClass = rows.getString("main_class");
      found.put(key, f);
    }
    return f;
  }

  /** The last failed apply of one of {@code ids} per JVM, as "ID CAUSE: message". */
  private static Map<String, String> failures(Connection connection, Set<String> ids)
      throws SQLException {
    Map<String, String> out = new HashMap<>();
    Map<String, Long> seqs = new HashMap<>();
    for (String id : ids) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT seq, host_id, jvm_key, cause, message FROM host_event WHERE update_id = ?"
                  + " AND kind = 'APPLY_FAILED' AND jvm_key IS NOT NULL ORDER BY seq")) {
        query.setString(1, id);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            String key = rows.getString("host_id") + "/" + rows.getString("jvm_key");
            long seq = rows.getLong("seq");
            if (seqs.getOrDefault(key, Long.MIN_VALUE) < seq) {
              seqs.put(key, seq);
              String cause = rows.getString("cause");
              String message = rows.getString("message");
              out.put(
                  key,
                  id
                      + " "
                      + (cause == null ? "" : cause + ": ")
                      + (message == null ? "" : message));
            }
          }
        }
      }
    }
    return out;
  }
}
