-- A group's policy for updates that leave out classes of the fixed release (live subsets): its
-- hosts apply them only when an admin turned this on. Runs unchanged on H2 2.x and PostgreSQL 15+.
ALTER TABLE host_group ADD COLUMN accept_left_out BOOLEAN DEFAULT FALSE NOT NULL;
