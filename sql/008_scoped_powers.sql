-- Scoped powers: a coordinator's decisions reach only inside their region.
--
-- Weight policies belong to a region. The national default has region_prefix '' and a
-- province (2 digits), prefecture (4) or county (6) may publish its own version of a
-- policy name; a run uses the active version of the nearest enclosing region, falling back
-- to the national one. Townships and villages publish nothing.
ALTER TABLE weight_policies
    ADD COLUMN region_prefix text NOT NULL DEFAULT ''
        CONSTRAINT weight_policies_region_prefix_level
        CHECK (region_prefix = '' OR region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$');
COMMENT ON COLUMN weight_policies.region_prefix IS
    'The region whose runs the policy applies to: '''' for the national default, else a 2, 4 or 6 digit scope prefix.';
ALTER TABLE weight_policies DROP CONSTRAINT weight_policies_name_version_key;
ALTER TABLE weight_policies ADD CONSTRAINT weight_policies_name_region_version_key
    UNIQUE (name, region_prefix, version);
DROP INDEX weight_policies_one_active_per_name;
CREATE UNIQUE INDEX weight_policies_one_active_per_region ON weight_policies (name, region_prefix) WHERE active;

-- A coordinator's suspension holds inside their region only: while it is in force the
-- charity's offers do not serve households there (runs, candidate lists, approvals and
-- acceptances), and the rest of the country is untouched. Suspending everywhere and
-- banning are an administrator's (charities.status).
CREATE TABLE charity_suspensions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    charity_id     bigint NOT NULL REFERENCES charities (id) ON DELETE RESTRICT,
    region_prefix  text NOT NULL
                   CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$'),
    reason         text NOT NULL CHECK (btrim(reason) <> ''),
    suspended_by   bigint REFERENCES users (id) ON DELETE RESTRICT,
    suspended_at   timestamptz NOT NULL DEFAULT now() CHECK (isfinite(suspended_at)),
    lifted_by      bigint REFERENCES users (id) ON DELETE RESTRICT,
    lifted_at      timestamptz CHECK (isfinite(lifted_at)),
    CONSTRAINT charity_suspensions_lifted_after CHECK (lifted_at IS NULL OR lifted_at >= suspended_at)
);
COMMENT ON TABLE charity_suspensions IS
    'Regional suspensions by coordinators: in force while lifted_at IS NULL, for households under region_prefix.';
CREATE UNIQUE INDEX charity_suspensions_one_in_force
    ON charity_suspensions (charity_id, region_prefix) WHERE lifted_at IS NULL;
CREATE INDEX charity_suspensions_in_force_idx ON charity_suspensions (charity_id) WHERE lifted_at IS NULL;

-- The prefixes under which a charity is suspended right now, as LIKE patterns, for the
-- per-pair test `NOT (household.region_code LIKE ANY (patterns))`.
CREATE FUNCTION charity_suspension_patterns(charity bigint) RETURNS text[]
    LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(s.region_prefix || '%' ORDER BY s.region_prefix), '{}')
      FROM charity_suspensions s WHERE s.charity_id = charity AND s.lifted_at IS NULL
$$;
