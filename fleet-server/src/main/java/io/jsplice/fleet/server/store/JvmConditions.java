package io.jsplice.fleet.server.store;

/**
 * What "patched" and "vulnerable" mean for a JVM, as SQL conditions on a row {@code j} of table
 * {@code jvm}; every count and list uses these, so they agree.
 */
final class JvmConditions {
  /** It runs at least one published update. */
  static final String PATCHED =
      "EXISTS (SELECT 1 FROM jvm_update u JOIN published_update p ON p.id = u.update_id"
          + " WHERE u.host_id = j.host_id AND u.jvm_key = j.jvm_key)";

  /** It loaded a release a published update targets, and does not run that update. */
  static final String VULNERABLE =
      "EXISTS (SELECT 1 FROM jvm_artifact a JOIN update_target t ON t.group_id = a.group_id"
          + " AND t.artifact_id = a.artifact_id AND t.from_version = a.version"
          + " WHERE a.host_id = j.host_id AND a.jvm_key = j.jvm_key AND NOT EXISTS"
          + " (SELECT 1 FROM jvm_update u WHERE u.host_id = j.host_id AND u.jvm_key = j.jvm_key"
          + " AND u.update_id = t.update_id))";

  private JvmConditions() {}
}
