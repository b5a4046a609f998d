-- 临时接管: when a charity is suspended or banned, suspended in a region, or closes an offer
-- that holds reservations, its live matches there (proposed, approved, accepted: not yet
-- delivered) are cancelled at once with reason code taken_over, their reserved units go
-- back, and their needs wait in a takeover for a coordinator to re-match first: a run over
-- those needs alone (match_runs.options->>'takeover'), reviewed like any other.
CREATE TABLE takeovers (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    charity_id     bigint NOT NULL REFERENCES charities (id) ON DELETE RESTRICT,
    cause          text NOT NULL CHECK (cause IN ('suspended', 'banned', 'regional_suspension', 'offer_closed')),
    region_prefix  text NOT NULL DEFAULT ''
                   CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$'),
    offer_id       bigint REFERENCES offers (id) ON DELETE RESTRICT,
    started_by     bigint REFERENCES users (id) ON DELETE RESTRICT,
    started_at     timestamptz NOT NULL DEFAULT now() CHECK (isfinite(started_at)),
    run_id         bigint REFERENCES match_runs (id) ON DELETE RESTRICT,
    CONSTRAINT takeovers_offer_when_closed CHECK ((cause = 'offer_closed') = (offer_id IS NOT NULL))
);
COMMENT ON TABLE takeovers IS 'Matches a failing provider held, released at once and waiting to be re-matched first.';
COMMENT ON COLUMN takeovers.region_prefix IS 'Where the cause holds: '''' everywhere, else the suspended region.';
COMMENT ON COLUMN takeovers.run_id IS 'The latest takeover run over its needs; NULL until a coordinator runs one.';
CREATE INDEX takeovers_charity_idx ON takeovers (charity_id, started_at DESC);

-- A match is taken over at most once, so its units are released at most once.
CREATE TABLE takeover_matches (
    takeover_id  bigint NOT NULL REFERENCES takeovers (id) ON DELETE RESTRICT,
    match_id     bigint NOT NULL REFERENCES matches (id) ON DELETE RESTRICT,
    need_id      bigint NOT NULL REFERENCES needs (id) ON DELETE RESTRICT,
    units        integer NOT NULL CHECK (units > 0),
    PRIMARY KEY (takeover_id, match_id),
    CONSTRAINT takeover_matches_once UNIQUE (match_id)
);
CREATE INDEX takeover_matches_need_idx ON takeover_matches (need_id);
