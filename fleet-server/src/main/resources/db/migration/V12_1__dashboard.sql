-- Issue 12, the dashboard. Runs unchanged on H2 2.x and PostgreSQL 15+.

-- A browser logs in once with the admin token and then holds a session cookie. Only the cookie's
-- SHA-256 is kept; the CSRF token is no credential on its own (it only counts with the cookie).
-- In the database, so that every server sharing it accepts the session.
CREATE TABLE admin_session (
  id_hash VARCHAR(64) PRIMARY KEY,
  csrf VARCHAR(64) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX admin_session_expiry ON admin_session (expires_at);

-- What each published update's own analysis says: its verdict, and whether applying it puts the
-- whole fix in force (FULL), only part of it (PARTLY: state built before the update keeps the old
-- behaviour and the update carries no hook for it) or nothing (NONE: not live). Read from the
-- signed descriptor at publish time; the "partly in force" count of JVMs joins on it.
CREATE TABLE update_verdict (
  update_id VARCHAR(128) PRIMARY KEY REFERENCES published_update (id) ON DELETE CASCADE,
  verdict VARCHAR(16) NOT NULL,
  in_force VARCHAR(8) NOT NULL
);
