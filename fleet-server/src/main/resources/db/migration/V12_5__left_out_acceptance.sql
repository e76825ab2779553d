-- An admin's decision for one update that leaves out classes of the fixed release (a live subset):
-- the hosts of a group, or of every group (scope '*', which no group name can be), apply it. A
-- group's accept_left_out (V12_4) is the same decision for every update. Runs unchanged on H2 2.x
-- and PostgreSQL 15+.
CREATE TABLE left_out_acceptance (
  update_id VARCHAR(128) NOT NULL REFERENCES published_update (id) ON DELETE CASCADE,
  scope VARCHAR(64) NOT NULL,
  accepted_by VARCHAR(64) NOT NULL,
  accepted_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (update_id, scope)
);
