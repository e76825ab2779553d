-- Issue 12, staged rollouts. Runs unchanged on H2 2.x and PostgreSQL 15+.

-- A group's rollout rings, in order (comma-separated names), and how long a ring must stay healthy
-- before the next one is reached without an admin (NULL: only an admin promotes). A group without a
-- row has one ring.
CREATE TABLE group_rings (
  group_name VARCHAR(64) PRIMARY KEY REFERENCES host_group (name) ON DELETE CASCADE,
  rings VARCHAR(1000) NOT NULL,
  promote_after_seconds BIGINT
);

-- The rollout of one update in one group. rings is the group's rings when it started; ring is the
-- index of the last ring reached. A group without a row takes the update by its policy, as in
-- version 1 (AUTOMATIC: at once; APPROVAL: once approved). Every change bumps the fleet revision.
CREATE TABLE rollout (
  update_id VARCHAR(128) NOT NULL REFERENCES published_update (id) ON DELETE CASCADE,
  group_name VARCHAR(64) NOT NULL REFERENCES host_group (name) ON DELETE CASCADE,
  state VARCHAR(16) NOT NULL,
  rings VARCHAR(1000) NOT NULL,
  ring INTEGER NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  ring_started_at TIMESTAMP WITH TIME ZONE,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  changed_by VARCHAR(128) NOT NULL,
  reason VARCHAR(2000),
  PRIMARY KEY (update_id, group_name)
);
CREATE INDEX rollout_state ON rollout (state);
CREATE INDEX host_event_kind ON host_event (kind, seq);
