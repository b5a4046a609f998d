-- What the read side of the API relies on beyond 003.
--
-- Match lists page by id (keyset). A run's proposals and the matches in one status are
-- read in id order straight from an index, so a page deep in a large run costs what the
-- first page costs; these replace the single-column indexes they extend.
CREATE INDEX matches_run_id_idx ON matches (run_id, id);
DROP INDEX matches_run_idx;
CREATE INDEX matches_status_id_idx ON matches (status, id);
DROP INDEX matches_status_idx;

-- Lists scoped to a township or a village (a caseworker's region) find the scope's
-- households through households_region_pattern_idx first. With the default statistics a
-- village's few hundred households are estimated at ten times as many, and the planner then
-- reads every need rather than look up the scope's needs by household. A finer histogram
-- of region codes keeps those estimates close.
ALTER TABLE households ALTER COLUMN region_code SET STATISTICS 1000;
ANALYZE households;
