-- 限时办理: how long each stage of a case may take, set per region (the nearest enclosing
-- prefix wins; '' is the national default), and what the sweep has already done about it.
CREATE TABLE stage_limits (
    region_prefix  text NOT NULL
                   CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$'),
    stage          text NOT NULL CHECK (stage IN ('first_proposal', 'decision', 'acceptance', 'delivery')),
    days           integer NOT NULL CHECK (days BETWEEN 1 AND 365),
    set_by         bigint REFERENCES users (id) ON DELETE RESTRICT,
    set_at         timestamptz NOT NULL DEFAULT now() CHECK (isfinite(set_at)),
    PRIMARY KEY (region_prefix, stage)
);
COMMENT ON TABLE stage_limits IS
    'Days a stage may take: first_proposal (need recorded -> first proposal), decision (proposed -> approved or rejected), acceptance (approved -> accepted), delivery (accepted -> delivered).';
INSERT INTO stage_limits (region_prefix, stage, days) VALUES
    ('', 'first_proposal', 7), ('', 'decision', 3), ('', 'acceptance', 5), ('', 'delivery', 14);

-- The days of `stage` for a household in `region` (a 12-digit code): the longest prefix set.
CREATE FUNCTION stage_limit_days(region text, stage text) RETURNS integer
    LANGUAGE sql STABLE AS $$
    SELECT l.days FROM stage_limits l
     WHERE l.stage = stage_limit_days.stage AND starts_with(region, l.region_prefix)
     ORDER BY length(l.region_prefix) DESC LIMIT 1
$$;

-- A reminder goes to the charity once per hold, a day before it lapses.
ALTER TABLE matches ADD COLUMN hold_reminded_at timestamptz CHECK (isfinite(hold_reminded_at));
