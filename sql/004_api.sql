-- What the read side of the API relies on beyond 003.
--
-- Lists scoped to a township or a village (a caseworker's region) find the households of
-- the scope through households_region_pattern_idx first. With the default statistics a
-- village's few hundred households are estimated at ten times as many, and the planner then
-- reads every need rather than look up the scope's needs by household. A finer histogram
-- of region codes keeps those estimates close.
ALTER TABLE households ALTER COLUMN region_code SET STATISTICS 1000;
ANALYZE households;
