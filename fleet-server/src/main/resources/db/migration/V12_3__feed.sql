-- Issue 12, the automatic feed and advisories. Runs unchanged on H2 2.x and PostgreSQL 15+.

-- Security advisories imported in OSV format, as far as Maven libraries go: one row per advisory,
-- one per affected range (introduced..fixed or ..last_affected) or list of versions.
CREATE TABLE advisory (
  id VARCHAR(128) PRIMARY KEY,
  aliases VARCHAR(4000) NOT NULL,
  summary VARCHAR(2000),
  published TIMESTAMP WITH TIME ZONE,
  modified TIMESTAMP WITH TIME ZONE,
  imported_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE advisory_range (
  advisory_id VARCHAR(128) NOT NULL REFERENCES advisory (id) ON DELETE CASCADE,
  group_id VARCHAR(255) NOT NULL,
  artifact_id VARCHAR(255) NOT NULL,
  introduced VARCHAR(100),
  fixed VARCHAR(100),
  last_affected VARCHAR(100),
  versions VARCHAR(100000) NOT NULL
);
CREATE INDEX advisory_range_library ON advisory_range (group_id, artifact_id);

-- What the automatic feed built: one row per pair of releases, so that several servers with a
-- feed build each pair once, and a dismissed pair stays dismissed. content holds the signed file
-- of an update waiting for review (a published one lives in update_package).
CREATE TABLE feed_candidate (
  id VARCHAR(128) PRIMARY KEY,
  group_id VARCHAR(255) NOT NULL,
  artifact_id VARCHAR(255) NOT NULL,
  from_version VARCHAR(100) NOT NULL,
  to_version VARCHAR(100) NOT NULL,
  state VARCHAR(16) NOT NULL,
  verdict VARCHAR(16),
  in_force VARCHAR(8),
  cves VARCHAR(4000) NOT NULL,
  tripwires INTEGER NOT NULL,
  reason VARCHAR(4000),
  sha256 VARCHAR(64),
  content BYTEA,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (group_id, artifact_id, from_version, to_version)
);

-- One row: what the feed last did, for every server sharing the database.
CREATE TABLE feed_state (
  id INTEGER PRIMARY KEY,
  last_check TIMESTAMP WITH TIME ZONE,
  last_error VARCHAR(2000)
);
INSERT INTO feed_state (id) VALUES (1);
