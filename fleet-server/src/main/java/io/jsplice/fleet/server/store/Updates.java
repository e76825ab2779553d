package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.api.LeftOutAcceptance;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateCatalog;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.UpdateTarget;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import io.jsplice.model.Artifact;
import io.jsplice.model.Update;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published updates: their signed bytes, the libraries they target, and which groups approved
 * them. A publish, an approval and its withdrawal each bump the fleet revision, so every host's
 * next conditional poll sees the change.
 */
public final class Updates {
  private static final String COLUMNS =
      "p.id, p.description, p.cves, p.requires, p.sha256, p.size, p.signer, p.signer_key,"
          + " p.published_at, p.published_by";

  private final Database db;

  public Updates(Database db) {
    this.db = db;
  }

  /**
   * Stores a verified update. Publishing the same bytes again changes nothing.
   *
   * @throws ApiException {@code CONFLICT} when an update with this id but other bytes exists;
   *     {@code UPDATE_REJECTED} when it requires an update that is not published
   */
  public PublishReceipt publish(NewUpdate upload, AuditLog.Actor actor) {
    Update update = upload.update();
    try {
      return db.transaction(
          connection -> {
            String existing = sha256Of(connection, update.id());
            if (existing != null) {
              return republished(connection, update.id(), existing, upload.sha256());
            }
            for (String required : update.requires()) {
              if (sha256Of(connection, required) == null) {
                throw new ApiException(
                    io.jsplice.fleet.api.ErrorCode.UPDATE_REJECTED,
                    "update "
                        + update.id()
                        + " requires "
                        + required
                        + ", which is not published; publish "
                        + required
                        + " first");
              }
            }
            insert(connection, upload, actor.actor());
            Rollouts.onPublish(connection, update.id(), actor.actor());
            FleetRevision.bump(connection);
            AuditLog.append(
                connection,
                actor,
                "update.publish",
                update.id(),
                "sha256 " + upload.sha256() + ", signed by " + upload.signer());
            return new PublishReceipt(get(connection, update.id()), false);
          });
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql)) {
        // Published at the same moment through another server.
        return db.read(
            connection ->
                republished(
                    connection, update.id(), sha256Of(connection, update.id()), upload.sha256()));
      }
      throw e;
    }
  }

  private PublishReceipt republished(
      Connection connection, String id, String storedSha256, String uploadedSha256)
      throws SQLException {
    if (!storedSha256.equals(uploadedSha256)) {
      throw ApiException.conflict(
          "an update with id "
              + id
              + " is published already with other content (sha256 "
              + storedSha256
              + "); build the new one with another --id");
    }
    return new PublishReceipt(get(connection, id), true);
  }

  private static void insert(Connection connection, NewUpdate upload, String actor)
      throws SQLException {
    Update update = upload.update();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO published_update (id, description, cves, requires, sha256, size, signer,"
                + " signer_key, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?)")) {
      insert.setString(1, update.id());
      insert.setString(2, Sql.clip(update.description(), 2000));
      insert.setString(3, Sql.clip(String.join("\n", update.cves()), 4000));
      insert.setString(4, Sql.clip(String.join("\n", update.requires()), 4000));
      insert.setString(5, upload.sha256());
      insert.setLong(6, upload.bytes().length);
      insert.setString(7, Sql.clip(upload.signer(), 1000));
      insert.setString(8, Sql.clip(upload.signerKey(), 200));
      Sql.setInstant(insert, 9, Instant.now());
      insert.setString(10, Sql.clip(actor, 64));
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO update_package (update_id, content) VALUES (?, ?)")) {
      insert.setString(1, update.id());
      insert.setBytes(2, upload.bytes());
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO update_target (update_id, group_id, artifact_id, from_version,"
                + " to_version) VALUES (?, ?, ?, ?, ?)")) {
      for (Artifact artifact : update.artifacts()) {
        insert.setString(1, update.id());
        insert.setString(2, Sql.clip(artifact.groupId(), 255));
        insert.setString(3, Sql.clip(artifact.artifactId(), 255));
        insert.setString(4, Sql.clip(artifact.fromVersion(), 100));
        insert.setString(5, Sql.clip(artifact.toVersion(), 100));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    UpdateVerdicts.insert(connection, update);
  }

  private static String sha256Of(Connection connection, String id) throws SQLException {
    return Sql.firstString(connection, "SELECT sha256 FROM published_update WHERE id = ?", id);
  }

  public UpdateCatalog list() {
    return db.read(
        connection -> {
          List<PublishedUpdate> updates = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement("SELECT id FROM published_update ORDER BY seq");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          for (String id : ids) {
            updates.add(get(connection, id));
          }
          return new UpdateCatalog(updates);
        });
  }

  /**
   * @throws ApiException {@code NOT_FOUND}
   */
  public PublishedUpdate get(String id) {
    return db.read(connection -> get(connection, id));
  }

  static PublishedUpdate get(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + ", (SELECT COUNT(*) FROM jvm_update u WHERE u.update_id = p.id) AS applied,"
                + " (SELECT COUNT(DISTINCT e.host_id || '/' || e.jvm_key) FROM host_event e"
                + " WHERE e.update_id = p.id AND e.kind = 'APPLY_FAILED') AS failed"
                + " FROM published_update p WHERE p.id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw noSuchUpdate(id);
        }
        return new PublishedUpdate(
            rows.getString("id"),
            rows.getString("description"),
            lines(rows.getString("cves")),
            targets(connection, id),
            lines(rows.getString("requires")),
            rows.getString("sha256"),
            rows.getLong("size"),
            rows.getString("signer"),
            rows.getString("signer_key"),
            Sql.instant(rows, "published_at"),
            rows.getString("published_by"),
            approvedGroups(connection, id),
            rows.getInt("applied"),
            rows.getInt("failed"),
            leftOutAccepted(connection, id));
      }
    }
  }

  static ApiException noSuchUpdate(String id) {
    return ApiException.notFound(
        "there is no published update \"" + id + "\"; `jsplice fleet updates` lists them");
  }

  private static List<String> lines(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
  }

  private static List<UpdateTarget> targets(Connection connection, String id) throws SQLException {
    List<UpdateTarget> targets = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT group_id, artifact_id, from_version, to_version FROM update_target"
                + " WHERE update_id = ? ORDER BY group_id, artifact_id")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          targets.add(
              new UpdateTarget(
                  rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
        }
      }
    }
    return targets;
  }

  private static List<String> leftOutAccepted(Connection connection, String id)
      throws SQLException {
    List<String> scopes = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT scope FROM left_out_acceptance WHERE update_id = ? ORDER BY scope")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          scopes.add(rows.getString(1));
        }
      }
    }
    return scopes;
  }

  private static List<String> approvedGroups(Connection connection, String id) throws SQLException {
    List<String> groups = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT group_name FROM approval WHERE update_id = ? ORDER BY group_name")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          groups.add(rows.getString(1));
        }
      }
    }
    return groups;
  }

  /** The signed file of update {@code id}, byte for byte as published. */
  public byte[] content(String id) {
    return db.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT content FROM update_package WHERE update_id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                throw noSuchUpdate(id);
              }
              return rows.getBytes(1);
            }
          }
        });
  }

  /**
   * Whether update {@code id} is in {@code host}'s list: it targets a release one of the host's
   * JVMs loaded.
   */
  public boolean appliesTo(HostIdentity host, String id) {
    return db.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT 1 FROM update_target t JOIN jvm_artifact a ON a.group_id = t.group_id"
                      + " AND a.artifact_id = t.artifact_id AND a.version = t.from_version"
                      + " WHERE t.update_id = ? AND a.host_id = ? FETCH FIRST 1 ROWS ONLY")) {
            query.setString(1, id);
            query.setString(2, host.id());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  /**
   * What {@code host} may apply: the published updates that target a release one of its JVMs
   * loaded, in publication order, each marked approved or not by its group's policy.
   */
  public UpdateList forHost(HostIdentity host) {
    return db.read(
        connection -> {
          io.jsplice.fleet.api.Group group = Groups.get(connection, host.group());
          ApplyPolicy policy = group.policy();
          Rollouts.Gate rollouts = Rollouts.gate(connection, host);
          Map<String, AvailableUpdate> updates = new LinkedHashMap<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT p.id, p.description, p.cves, p.requires, p.sha256, p.size,"
                      + " p.published_at, (SELECT COUNT(*) FROM approval a WHERE a.update_id ="
                      + " p.id AND a.group_name = ?) AS approvals, (SELECT COUNT(*) FROM"
                      + " left_out_acceptance l WHERE l.update_id = p.id AND l.scope IN (?, '"
                      + LeftOutAcceptance.EVERY_GROUP
                      + "')) AS left_out FROM published_update p WHERE"
                      + " EXISTS (SELECT 1 FROM update_target t JOIN jvm_artifact a ON a.group_id"
                      + " = t.group_id AND a.artifact_id = t.artifact_id AND a.version ="
                      + " t.from_version WHERE t.update_id = p.id AND a.host_id = ?) ORDER BY"
                      + " p.seq")) {
            query.setString(1, host.group());
            query.setString(2, host.group());
            query.setString(3, host.id());
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String id = rows.getString("id");
                Rollouts.Decision decision =
                    rollouts.decide(
                        id, policy == ApplyPolicy.AUTOMATIC || rows.getInt("approvals") > 0);
                updates.put(
                    id,
                    new AvailableUpdate(
                        id,
                        rows.getString("description"),
                        lines(rows.getString("cves")),
                        List.of(),
                        lines(rows.getString("requires")),
                        rows.getString("sha256"),
                        rows.getLong("size"),
                        decision.approved(),
                        Sql.instant(rows, "published_at"),
                        decision.withdrawn(),
                        group.acceptLeftOut() || rows.getInt("left_out") > 0));
              }
            }
          }
          List<AvailableUpdate> out = new ArrayList<>();
          for (AvailableUpdate u : updates.values()) {
            out.add(
                new AvailableUpdate(
                    u.id(),
                    u.description(),
                    u.cves(),
                    targets(connection, u.id()),
                    u.requires(),
                    u.sha256(),
                    u.size(),
                    u.approved(),
                    u.publishedAt(),
                    u.withdrawn(),
                    u.acceptLeftOut()));
          }
          return new UpdateList(
              host.name(), host.state(), host.group(), policy, out, group.acceptLeftOut());
        });
  }

  /** Approves update {@code id} for {@code group}; approving twice changes nothing. */
  public PublishedUpdate approve(String id, String group, AuditLog.Actor actor) {
    Names.check("group name", group, Groups.NAME_MAX);
    return db.transaction(
        connection -> {
          get(connection, id);
          io.jsplice.fleet.api.Group g = Groups.get(connection, group);
          if (!approvedGroups(connection, id).contains(group)) {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO approval (update_id, group_name, approved_by, approved_at)"
                        + " VALUES (?, ?, ?, ?)")) {
              insert.setString(1, id);
              insert.setString(2, g.name());
              insert.setString(3, Sql.clip(actor.actor(), 64));
              Sql.setInstant(insert, 4, Instant.now());
              insert.executeUpdate();
            }
            Rollouts.onApproval(connection, id, g.name(), actor.actor());
            FleetRevision.bump(connection);
            AuditLog.append(connection, actor, "update.approve", id, "group " + group);
          }
          return get(connection, id);
        });
  }

  /**
   * Accepts the classes update {@code id} leaves out of the fixed release, for this update only, in
   * {@code group} or, when it is null, in every group; accepting twice changes nothing. Hosts' next
   * polls see it (the fleet revision is bumped).
   */
  public PublishedUpdate acceptLeftOut(String id, String group, AuditLog.Actor actor) {
    if (group != null) {
      Names.check("group name", group, Groups.NAME_MAX);
    }
    return db.transaction(
        connection -> {
          get(connection, id);
          String scope =
              group == null ? LeftOutAcceptance.EVERY_GROUP : Groups.get(connection, group).name();
          if (!leftOutAccepted(connection, id).contains(scope)) {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO left_out_acceptance (update_id, scope, accepted_by, accepted_at)"
                        + " VALUES (?, ?, ?, ?)")) {
              insert.setString(1, id);
              insert.setString(2, scope);
              insert.setString(3, Sql.clip(actor.actor(), 64));
              Sql.setInstant(insert, 4, Instant.now());
              insert.executeUpdate();
            }
            FleetRevision.bump(connection);
            AuditLog.append(
                connection,
                actor,
                "update.accept-left-out",
                id,
                group == null ? "every group" : "group " + group);
          }
          return get(connection, id);
        });
  }

  /**
   * Withdraws the acceptance of the classes update {@code id} leaves out, for this update, in
   * {@code group} or, when it is null, in every group ({@value LeftOutAcceptance#EVERY_GROUP}).
   * Hosts that have not applied it hold it again from their next poll (the fleet revision is
   * bumped); JVMs where it is in force keep it: a withdrawal undoes nothing. An unknown update or
   * group, or an acceptance that does not exist, is refused (404) and changes nothing.
   */
  public PublishedUpdate withdrawLeftOut(String id, String group, AuditLog.Actor actor) {
    if (group != null) {
      Names.check("group name", group, Groups.NAME_MAX);
    }
    return db.transaction(
        connection -> {
          get(connection, id);
          String scope = group == null ? LeftOutAcceptance.EVERY_GROUP : group;
          List<String> accepted = leftOutAccepted(connection, id);
          if (!accepted.contains(scope)) {
            String policy = "";
            if (group != null) {
              // An unknown group is its own error; a known one may accept them by its policy.
              if (Groups.get(connection, group).acceptLeftOut()) {
                policy =
                    "; group "
                        + group
                        + "'s policy accepts them for every update (jsplice fleet group "
                        + group
                        + " --policy P --accept-left-out false)";
              }
            }
            throw ApiException.notFound(
                "update "
                    + id
                    + " has no acceptance of the classes it leaves out "
                    + (group == null ? "for every group" : "for group " + group)
                    + " to withdraw; accepted for this update "
                    + (accepted.isEmpty()
                        ? "nowhere"
                        : "in "
                            + String.join(", ", accepted)
                                .replace(LeftOutAcceptance.EVERY_GROUP, "every group"))
                    + policy);
          }
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM left_out_acceptance WHERE update_id = ? AND scope = ?")) {
            delete.setString(1, id);
            delete.setString(2, scope);
            delete.executeUpdate();
          }
          FleetRevision.bump(connection);
          AuditLog.append(
              connection,
              actor,
              "update.withdraw-left-out",
              id,
              group == null ? "every group" : "group " + group);
          return get(connection, id);
        });
  }

  /** Withdraws the approval of update {@code id} for {@code group}. */
  public PublishedUpdate revoke(String id, String group, AuditLog.Actor actor) {
    return db.transaction(
        connection -> {
          get(connection, id);
          Groups.get(connection, group);
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM approval WHERE update_id = ? AND group_name = ?")) {
            delete.setString(1, id);
            delete.setString(2, group);
            if (delete.executeUpdate() > 0) {
              FleetRevision.bump(connection);
              AuditLog.append(connection, actor, "update.revoke", id, "group " + group);
            }
          }
          return get(connection, id);
        });
  }
}
