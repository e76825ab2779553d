-- An update's history on one host (GET /api/v1/events?host=NAME&update=ID, jsplice fleet events
-- --host NAME): events are kept by the host's name, which outlives the host, so the history of a
-- removed host stays readable. Runs unchanged on H2 2.x and PostgreSQL 15+.
CREATE INDEX host_event_host_name ON host_event (host_name, seq);
