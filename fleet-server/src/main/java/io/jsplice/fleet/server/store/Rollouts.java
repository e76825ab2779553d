package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.Group;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.RingProgress;
import io.jsplice.fleet.api.RingSettings;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutList;
import io.jsplice.fleet.api.RolloutState;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Staged rollouts: an update reaches a group's hosts ring by ring (for example {@code canary}, then
 * {@code main}), as Canonical Livepatch promotes patches through its tiers. The next ring is
 * reached when an admin promotes the rollout, or by itself once the ring stayed healthy for the
 * group's period: every JVM of the rings reached that needs the update runs it and passed its
 * daemon's health gate. A failed gate, or a JVM that died soon after the update, pauses the
 * update's rollouts in every group, and the rollout says why. An admin can pause, resume, promote
 * and roll back; a rollback makes every daemon of the group undo the update.
 *
 * <p>A group without a rollout row for an update takes it by its policy, as before rollouts
 * existed. A publish starts a rollout at the first ring in every {@link ApplyPolicy#AUTOMATIC}
 * group that has rings; an approval does in an {@link ApplyPolicy#APPROVAL} group that has rings.
 *
 * <p>Every change bumps the fleet revision in its transaction, so every host's next conditional
 * poll sees it. Changes are compare-and-set on the row, so several servers sharing the database
 * never promote one ring twice.
 */
public final class Rollouts {
  /** The name of the one ring of a group without rings. */
  public static final String ALL = "all";

  /** Who an automatic promotion is recorded as. */
  static final String AUTO = "auto-promotion";

  private final Database db;

  public Rollouts(Database db) {
    this.db = db;
  }

  // ---- a group's rings

  public RingSettings rings(String group) {
    return db.read(
        connection -> {
          Groups.get(connection, group);
          return rings(connection, group);
        });
  }

  static RingSettings rings(Connection connection, String group) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT rings, promote_after_seconds FROM group_rings WHERE group_name = ?")) {
      query.setString(1, group);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return new RingSettings(group, List.of(), null);
        }
        long after = rows.getLong(2);
        return new RingSettings(group, split(rows.getString(1)), rows.wasNull() ? null : after);
      }
    }
  }

  /** Sets a group's rings; rollouts that started before keep the rings they started with. */
  public RingSettings putRings(String group, RingSettings settings, AuditLog.Actor actor) {
    Names.check("group name", group, Groups.NAME_MAX);
    Set<String> names = new LinkedHashSet<>();
    for (String ring : settings.rings()) {
      if (!names.add(Names.check("ring", ring, 64))) {
        throw ApiException.badRequest("ring \"" + ring + "\" is named twice");
      }
    }
    if (settings.promoteAfterSeconds() != null && settings.promoteAfterSeconds() < 0) {
      throw ApiException.badRequest("promoteAfterSeconds must not be negative");
    }
    return db.transaction(
        connection -> {
          Groups.get(connection, group);
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM group_rings WHERE group_name = ?")) {
            delete.setString(1, group);
            delete.executeUpdate();
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO group_rings (group_name, rings, promote_after_seconds) VALUES (?,"
                      + " ?, ?)")) {
            insert.setString(1, group);
            insert.setString(2, String.join(",", names));
            if (settings.promoteAfterSeconds() == null) {
              insert.setNull(3, java.sql.Types.BIGINT);
            } else {
              insert.setLong(3, settings.promoteAfterSeconds());
            }
            insert.executeUpdate();
          }
          FleetRevision.bump(connection);
          AuditLog.append(
              connection,
              actor,
              "group.rings",
              group,
              (names.isEmpty() ? "one ring" : String.join(" -> ", names))
                  + (settings.promoteAfterSeconds() == null
                      ? ", promoted by an admin"
                      : ", promoted after " + settings.promoteAfterSeconds() + " s healthy"));
          return rings(connection, group);
        });
  }

  // ---- rows

  /** A rollout as stored (or, for a group without a row, as its policy makes it). */
  record Row(
      String updateId,
      String group,
      RolloutState state,
      List<String> rings,
      int ring,
      Instant startedAt,
      Instant ringStartedAt,
      Instant changedAt,
      String changedBy,
      String reason,
      boolean stored) {

    int last() {
      return Math.max(0, rings.size() - 1);
    }

    Row with(RolloutState state, int ring, Instant ringStartedAt, String by, String reason) {
      Instant now = Instant.now();
      return new Row(
          updateId,
          group,
          state,
          rings,
          ring,
          startedAt == null ? now : startedAt,
          ringStartedAt,
          now,
          by,
          reason,
          stored);
    }
  }

  private static List<String> split(String rings) {
    return rings == null || rings.isEmpty() ? List.of() : Arrays.asList(rings.split(","));
  }

  private static List<String> orAll(List<String> rings) {
    return rings.isEmpty() ? List.of(ALL) : rings;
  }

  /** The stored row, locked for the transaction when {@code lock}; null if none. */
  static Row stored(Connection connection, String id, String group, boolean lock)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT state, rings, ring, started_at, ring_started_at, changed_at, changed_by,"
                + " reason FROM rollout WHERE update_id = ? AND group_name = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      query.setString(1, id);
      query.setString(2, group);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return new Row(
            id,
            group,
            RolloutState.valueOf(rows.getString("state")),
            orAll(split(rows.getString("rings"))),
            rows.getInt("ring"),
            Sql.instant(rows, "started_at"),
            Sql.instant(rows, "ring_started_at"),
            Sql.instant(rows, "changed_at"),
            rows.getString("changed_by"),
            rows.getString("reason"),
            true);
      }
    }
  }

  /** The rollout in force for {@code group}: its row, or what its policy makes of the update. */
  static Row effective(Connection connection, String id, Group group, boolean lock)
      throws SQLException {
    Row row = stored(connection, id, group.name(), lock);
    if (row != null) {
      return row;
    }
    List<String> rings = orAll(rings(connection, group.name()).rings());
    boolean released = group.policy() == ApplyPolicy.AUTOMATIC || approved(connection, id, group);
    return new Row(
        id,
        group.name(),
        released ? RolloutState.COMPLETE : RolloutState.NOT_STARTED,
        rings,
        released ? rings.size() - 1 : -1,
        null,
        null,
        null,
        null,
        null,
        false);
  }

  private static boolean approved(Connection connection, String id, Group group)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM approval WHERE update_id = ? AND group_name = ?")) {
      query.setString(1, id);
      query.setString(2, group.name());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static void save(Connection connection, Row row) throws SQLException {
    if (row.stored()) {
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE rollout SET state = ?, ring = ?, started_at = ?, ring_started_at = ?,"
                  + " changed_at = ?, changed_by = ?, reason = ? WHERE update_id = ? AND"
                  + " group_name = ?")) {
        update.setString(1, row.state().name());
        update.setInt(2, row.ring());
        Sql.setInstant(update, 3, row.startedAt());
        Sql.setInstant(update, 4, row.ringStartedAt());
        Sql.setInstant(update, 5, row.changedAt());
        update.setString(6, Sql.clip(row.changedBy(), 128));
        update.setString(7, Sql.clip(row.reason(), 2000));
        update.setString(8, row.updateId());
        update.setString(9, row.group());
        update.executeUpdate();
      }
    } else {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO rollout (update_id, group_name, state, rings, ring, started_at,"
                  + " ring_started_at, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?,"
                  + " ?, ?, ?, ?)")) {
        insert.setString(1, row.updateId());
        insert.setString(2, row.group());
        insert.setString(3, row.state().name());
        insert.setString(4, row.rings().equals(List.of(ALL)) ? "" : String.join(",", row.rings()));
        insert.setInt(5, row.ring());
        Sql.setInstant(insert, 6, row.startedAt());
        Sql.setInstant(insert, 7, row.ringStartedAt());
        Sql.setInstant(insert, 8, row.changedAt());
        insert.setString(9, Sql.clip(row.changedBy(), 128));
        insert.setString(10, Sql.clip(row.reason(), 2000));
        insert.executeUpdate();
      }
    }
  }

  /** A new rollout of {@code id} in {@code group}, at its first ring, with the group's rings. */
  private static Row fresh(Connection connection, String id, String group, String by)
      throws SQLException {
    Instant now = Instant.now();
    return new Row(
        id,
        group,
        RolloutState.RUNNING,
        orAll(rings(connection, group).rings()),
        0,
        now,
        now,
        now,
        by,
        null,
        false);
  }

  // ---- hooks in the publish and approval transactions

  /** Starts the rollout at the first ring in every automatic group that has rings. */
  static void onPublish(Connection connection, String id, String by) throws SQLException {
    List<String> groups = new ArrayList<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT g.name FROM host_group g JOIN group_rings r ON r.group_name = g.name"
                    + " WHERE g.policy = 'AUTOMATIC' AND r.rings LIKE '%,%'");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        groups.add(rows.getString(1));
      }
    }
    for (String group : groups) {
      if (stored(connection, id, group, false) == null) {
        save(connection, fresh(connection, id, group, by));
      }
    }
  }

  /** An approval starts the rollout at the first ring of a group that has rings. */
  static void onApproval(Connection connection, String id, String group, String by)
      throws SQLException {
    if (rings(connection, group).rings().size() > 1
        && stored(connection, id, group, false) == null) {
      save(connection, fresh(connection, id, group, by));
    }
  }

  /**
   * Pauses the rollouts of every update a host's report says failed a health gate, or killed a JVM
   * soon after it: in every group, for everyone, with the host's words as the reason.
   */
  static void onEvents(Connection connection, HostIdentity host, List<HostEvent> events)
      throws SQLException {
    for (HostEvent event : events) {
      if (event.updateId() == null
          || (event.kind() != EventKind.HEALTH_GATE_FAILED
              && event.kind() != EventKind.JVM_DIED_AFTER_UPDATE)) {
        continue;
      }
      String reason =
          (event.kind() == EventKind.HEALTH_GATE_FAILED ? "health gate failed" : "a JVM died")
              + " on "
              + host.name()
              + ": "
              + event.message();
      pauseEverywhere(connection, event.updateId(), reason, "health gate of " + host.name());
    }
  }

  private static void pauseEverywhere(Connection connection, String id, String reason, String by)
      throws SQLException {
    if (!published(connection, id)) {
      return;
    }
    boolean changed = false;
    for (Group group : groups(connection)) {
      Row row = effective(connection, id, group, true);
      if (row.state() == RolloutState.RUNNING || row.state() == RolloutState.COMPLETE) {
        save(
            connection, row.with(RolloutState.PAUSED, row.ring(), row.ringStartedAt(), by, reason));
        changed = true;
      }
    }
    if (changed) {
      FleetRevision.bump(connection);
      AuditLog.append(connection, new AuditLog.Actor(by, null), "rollout.pause", id, reason);
    }
  }

  private static boolean published(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM published_update WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static List<Group> groups(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement query =
            connection.prepareStatement("SELECT name FROM host_group ORDER BY name");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    List<Group> out = new ArrayList<>();
    for (String name : names) {
      out.add(Groups.get(connection, name));
    }
    return out;
  }

  // ---- what a host's update list says

  /**
   * Whether the host may apply an update, and whether it must undo it.
   *
   * @param approved whether it may apply it now
   * @param withdrawn whether its rollout was rolled back: undo it where it is in force
   */
  record Decision(boolean approved, boolean withdrawn) {}

  /** Decides, for one host, what its group's rollouts allow. */
  static final class Gate {
    private final Connection connection;
    private final String group;
    private final String ring;

    private Gate(Connection connection, String group, String ring) {
      this.connection = connection;
      this.group = group;
      this.ring = ring;
    }

    /**
     * @param byPolicy what the group's policy and approvals say without a rollout
     */
    Decision decide(String id, boolean byPolicy) throws SQLException {
      Row row = stored(connection, id, group, false);
      if (row == null) {
        return new Decision(byPolicy, false);
      }
      return switch (row.state()) {
        case RUNNING, COMPLETE -> new Decision(ringIndex(ring, row.rings()) <= row.ring(), false);
        case ROLLED_BACK -> new Decision(false, true);
        case PAUSED, NOT_STARTED -> new Decision(false, false);
      };
    }
  }

  static Gate gate(Connection connection, HostIdentity host) throws SQLException {
    String ring = null;
    try (PreparedStatement query =
        connection.prepareStatement("SELECT ring FROM host WHERE id = ?")) {
      query.setString(1, host.id());
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          ring = rows.getString(1);
        }
      }
    }
    return new Gate(connection, host.group(), ring);
  }

  /** A host's ring's position in {@code rings}: hosts outside every ring count as the last. */
  static int ringIndex(String ring, List<String> rings) {
    int index = ring == null ? -1 : rings.indexOf(ring);
    return index >= 0 ? index : rings.size() - 1;
  }

  // ---- an admin's actions

  /** The rollouts of update {@code id} in every group. */
  public RolloutList list(String id) {
    return db.read(
        connection -> {
          Updates.get(connection, id);
          List<Rollout> out = new ArrayList<>();
          for (Group group : groups(connection)) {
            out.add(describe(connection, effective(connection, id, group, false), group));
          }
          return new RolloutList(id, out);
        });
  }

  /** Starts (or, after a rollback, restarts) the rollout at the first ring. */
  public Rollout start(String id, String group, AuditLog.Actor actor) {
    return change(
        id,
        group,
        actor,
        "start",
        null,
        (connection, row) -> {
          if (row.state() == RolloutState.RUNNING
              || row.state() == RolloutState.COMPLETE
              || row.state() == RolloutState.PAUSED) {
            throw ApiException.conflict(
                "the rollout of "
                    + id
                    + " in group "
                    + group
                    + " is "
                    + row.state()
                    + " already; pause, resume, promote or roll it back");
          }
          Row fresh = fresh(connection, id, group, actor.actor());
          return new Row(
              fresh.updateId(),
              fresh.group(),
              fresh.state(),
              fresh.rings(),
              fresh.ring(),
              fresh.startedAt(),
              fresh.ringStartedAt(),
              fresh.changedAt(),
              fresh.changedBy(),
              null,
              row.stored());
        });
  }

  public Rollout pause(String id, String group, String reason, AuditLog.Actor actor) {
    return change(
        id,
        group,
        actor,
        "pause",
        reason,
        (connection, row) -> {
          if (row.state() != RolloutState.RUNNING && row.state() != RolloutState.COMPLETE) {
            throw ApiException.conflict(
                "the rollout of "
                    + id
                    + " in group "
                    + group
                    + " is "
                    + row.state()
                    + ": nothing to pause");
          }
          return row.with(
              RolloutState.PAUSED,
              row.ring(),
              row.ringStartedAt(),
              actor.actor(),
              reason == null ? "paused by " + actor.actor() : reason);
        });
  }

  public Rollout resume(String id, String group, AuditLog.Actor actor) {
    return change(
        id,
        group,
        actor,
        "resume",
        null,
        (connection, row) -> {
          if (row.state() != RolloutState.PAUSED) {
            throw ApiException.conflict(
                "the rollout of "
                    + id
                    + " in group "
                    + group
                    + " is "
                    + row.state()
                    + ", not paused");
          }
          return row.with(
              row.ring() >= row.last() ? RolloutState.COMPLETE : RolloutState.RUNNING,
              row.ring(),
              Instant.now(),
              actor.actor(),
              null);
        });
  }

  public Rollout promote(String id, String group, AuditLog.Actor actor) {
    return change(
        id,
        group,
        actor,
        "promote",
        null,
        (connection, row) -> {
          if (row.state() != RolloutState.RUNNING || row.ring() >= row.last()) {
            throw ApiException.conflict(
                "the rollout of "
                    + id
                    + " in group "
                    + group
                    + " is "
                    + row.state()
                    + (row.state() == RolloutState.PAUSED
                        ? ": resume it first"
                        : ": no next ring"));
          }
          return promoted(row, actor.actor());
        });
  }

  public Rollout rollback(String id, String group, String reason, AuditLog.Actor actor) {
    return change(
        id,
        group,
        actor,
        "rollback",
        reason,
        (connection, row) ->
            row.with(
                RolloutState.ROLLED_BACK,
                row.ring(),
                row.ringStartedAt(),
                actor.actor(),
                reason == null ? "rolled back by " + actor.actor() : reason));
  }

  private static Row promoted(Row row, String by) {
    int next = row.ring() + 1;
    return row.with(
        next >= row.last() ? RolloutState.COMPLETE : RolloutState.RUNNING,
        next,
        Instant.now(),
        by,
        null);
  }

  @FunctionalInterface
  private interface Transition {
    Row apply(Connection connection, Row row) throws SQLException;
  }

  private Rollout change(
      String id,
      String groupName,
      AuditLog.Actor actor,
      String action,
      String reason,
      Transition transition) {
    Names.check("group name", groupName, Groups.NAME_MAX);
    return db.transaction(
        connection -> {
          Updates.get(connection, id);
          Group group = Groups.get(connection, groupName);
          Row row = transition.apply(connection, effective(connection, id, group, true));
          save(connection, row);
          FleetRevision.bump(connection);
          AuditLog.append(
              connection,
              actor,
              "rollout." + action,
              id,
              "group " + groupName + (reason == null ? "" : ": " + reason));
          return describe(connection, stored(connection, id, groupName, false), group);
        });
  }

  // ---- automatic promotion

  /**
   * Promotes every running rollout whose current ring stayed healthy for its group's period.
   *
   * @return how many rings were reached
   */
  public int promoteDue() {
    Instant now = Instant.now();
    List<String[]> candidates =
        db.read(
            connection -> {
              List<String[]> out = new ArrayList<>();
              try (PreparedStatement query =
                      connection.prepareStatement(
                          "SELECT o.update_id, o.group_name FROM rollout o JOIN group_rings r ON"
                              + " r.group_name = o.group_name WHERE o.state = 'RUNNING' AND"
                              + " r.promote_after_seconds IS NOT NULL");
                  ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                  out.add(new String[] {rows.getString(1), rows.getString(2)});
                }
              }
              return out;
            });
    int promoted = 0;
    for (String[] candidate : candidates) {
      Boolean done =
          db.transaction(
              connection -> {
                Row row = stored(connection, candidate[0], candidate[1], true);
                RingSettings settings = rings(connection, candidate[1]);
                if (row == null
                    || row.state() != RolloutState.RUNNING
                    || row.ring() >= row.last()
                    || settings.promoteAfterSeconds() == null
                    || row.ringStartedAt() == null
                    || row.ringStartedAt().plusSeconds(settings.promoteAfterSeconds()).isAfter(now)
                    || !healthy(connection, row)) {
                  return false;
                }
                Row next = promoted(row, AUTO);
                save(connection, next);
                FleetRevision.bump(connection);
                AuditLog.append(
                    connection,
                    new AuditLog.Actor(AUTO, null),
                    "rollout.promote",
                    row.updateId(),
                    "group "
                        + row.group()
                        + ": ring "
                        + row.rings().get(row.ring())
                        + " healthy, "
                        + row.rings().get(next.ring())
                        + " reached");
                return true;
              });
      if (Boolean.TRUE.equals(done)) {
        promoted++;
      }
    }
    return promoted;
  }

  /**
   * Whether every JVM of the rings reached that needs the update settled well: it runs the update
   * and passed its health gate, or refused the update for good. No JVM may wait, be under watch, or
   * have failed its gate.
   */
  private static boolean healthy(Connection connection, Row row) throws SQLException {
    for (JvmStatus jvm : jvms(connection, row)) {
      if (jvm.ring() > row.ring() || !jvm.active()) {
        continue;
      }
      if (jvm.unhealthy() || !(jvm.inForce() && jvm.healthy() || jvm.refused())) {
        return false;
      }
    }
    return true;
  }

  /** One JVM of a group's hosts that the update concerns, and how it fared. */
  private record JvmStatus(
      int ring,
      String hostRing,
      boolean active,
      boolean inForce,
      boolean healthy,
      boolean unhealthy,
      boolean refused) {}

  /** Every JVM of the group's hosts that loaded a release the update targets, or runs it. */
  private static List<JvmStatus> jvms(Connection connection, Row row) throws SQLException {
    Map<String, Set<String>> marks = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT e.host_id, e.jvm_key, e.kind FROM host_event e JOIN host h ON h.id ="
                + " e.host_id WHERE e.update_id = ? AND h.group_name = ? AND e.jvm_key IS NOT"
                + " NULL AND e.kind IN ('HEALTH_GATE_PASSED', 'HEALTH_GATE_FAILED',"
                + " 'JVM_DIED_AFTER_UPDATE', 'APPLY_FAILED')")) {
      query.setString(1, row.updateId());
      query.setString(2, row.group());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          marks
              .computeIfAbsent(rows.getString(1) + "/" + rows.getString(2), k -> new HashSet<>())
              .add(rows.getString(3));
        }
      }
    }
    List<JvmStatus> out = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT j.host_id, j.jvm_key, h.ring, h.state, EXISTS (SELECT 1 FROM jvm_update u"
                + " WHERE u.host_id = j.host_id AND u.jvm_key = j.jvm_key AND u.update_id = ?) AS"
                + " in_force FROM jvm j JOIN host h ON h.id = j.host_id WHERE h.group_name = ? AND"
                + " (EXISTS (SELECT 1 FROM jvm_update u WHERE u.host_id = j.host_id AND u.jvm_key"
                + " = j.jvm_key AND u.update_id = ?) OR EXISTS (SELECT 1 FROM jvm_artifact a JOIN"
                + " update_target t ON t.group_id = a.group_id AND t.artifact_id = a.artifact_id"
                + " AND t.from_version = a.version WHERE t.update_id = ? AND a.host_id ="
                + " j.host_id AND a.jvm_key = j.jvm_key))")) {
      query.setString(1, row.updateId());
      query.setString(2, row.group());
      query.setString(3, row.updateId());
      query.setString(4, row.updateId());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Set<String> seen =
              marks.getOrDefault(rows.getString(1) + "/" + rows.getString(2), Set.of());
          String hostRing = rows.getString(3);
          out.add(
              new JvmStatus(
                  ringIndex(hostRing, row.rings()),
                  hostRing,
                  "ACTIVE".equals(rows.getString(4)),
                  rows.getBoolean(5),
                  seen.contains("HEALTH_GATE_PASSED"),
                  seen.contains("HEALTH_GATE_FAILED") || seen.contains("JVM_DIED_AFTER_UPDATE"),
                  seen.contains("APPLY_FAILED")));
        }
      }
    }
    return out;
  }

  // ---- as the API shows it

  private static Rollout describe(Connection connection, Row row, Group group) throws SQLException {
    Map<Integer, int[]> counts = new HashMap<>(); // hosts, in force, missing, healthy, unhealthy
    for (int i = 0; i < row.rings().size(); i++) {
      counts.put(i, new int[5]);
    }
    try (PreparedStatement query =
        connection.prepareStatement("SELECT ring FROM host WHERE group_name = ?")) {
      query.setString(1, row.group());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.get(ringIndex(rows.getString(1), row.rings()))[0]++;
        }
      }
    }
    for (JvmStatus jvm : jvms(connection, row)) {
      int[] c = counts.get(jvm.ring());
      if (jvm.inForce()) {
        c[1]++;
      } else {
        c[2]++;
      }
      if (jvm.healthy()) {
        c[3]++;
      }
      if (jvm.unhealthy()) {
        c[4]++;
      }
    }
    List<RingProgress> progress = new ArrayList<>();
    for (int i = 0; i < row.rings().size(); i++) {
      int[] c = counts.get(i);
      boolean reached =
          i <= row.ring()
              && row.state() != RolloutState.NOT_STARTED
              && row.state() != RolloutState.ROLLED_BACK;
      progress.add(new RingProgress(row.rings().get(i), reached, c[0], c[1], c[2], c[3], c[4]));
    }
    return new Rollout(
        row.updateId(),
        row.group(),
        group.policy(),
        row.state(),
        row.rings(),
        row.ring(),
        rings(connection, row.group()).promoteAfterSeconds(),
        row.startedAt(),
        row.ringStartedAt(),
        row.changedAt(),
        row.changedBy(),
        row.reason(),
        progress);
  }
}
