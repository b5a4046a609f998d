-- Time that fits a Date, and fairness across runs.
--
-- 1. A permanent ban is explicit: status 'banned' with no end (banned_until NULL), rather
--    than banned_until = 'infinity', which no reader could decode. Every time column then
--    refuses ±infinity, so every stored instant round-trips through the application.
ALTER TABLE charities DROP CONSTRAINT charities_banned_until_iff_banned;
UPDATE charities SET banned_until = NULL WHERE banned_until = 'infinity';
ALTER TABLE charities ADD CONSTRAINT charities_ban_end_only_when_banned
    CHECK (status = 'banned' OR banned_until IS NULL);
COMMENT ON COLUMN charities.banned_until IS 'End of a ban; NULL while banned means a permanent ban (禁入), NULL otherwise when not banned.';

-- 2. Cool-down. A pair (need, offer) that was rejected, declined or expired is not proposed
--    again for the run's cool-down (30 days by default) unless a coordinator clears it; the
--    clearance is kept on the refused match itself, by whom and when.
ALTER TABLE matches ADD COLUMN cooldown_cleared_at timestamptz,
                    ADD COLUMN cooldown_cleared_by bigint REFERENCES users (id) ON DELETE RESTRICT;
ALTER TABLE matches ADD CONSTRAINT matches_cooldown_cleared_on_refusals
    CHECK (cooldown_cleared_at IS NULL OR status IN ('rejected', 'declined', 'expired'));
COMMENT ON COLUMN matches.cooldown_cleared_at IS 'Set when a coordinator lets the refused pair be proposed again before its cool-down ends.';
-- The refusals of a need, for the runs' and the ranking's cool-down look-up.
CREATE INDEX matches_refused_pair_idx ON matches (need_id, offer_id, decided_at)
    WHERE status IN ('rejected', 'declined', 'expired') AND cooldown_cleared_at IS NULL;

-- 3. Finite time. One CHECK per timestamptz, timestamp and date column of the schema, named
-- <table>_<column>_finite. A test walks the catalogue and tries ±infinity in every such
-- column, so a later migration that adds a time column without its CHECK fails it.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT c.table_name, c.column_name
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
         WHERE c.table_schema = current_schema()
           AND c.data_type IN ('timestamp with time zone', 'timestamp without time zone', 'date')
         ORDER BY c.table_name, c.column_name
    LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (isfinite(%I))',
                       target.table_name, target.table_name || '_' || target.column_name || '_finite',
                       target.column_name);
    END LOOP;
END
$$;
-- The one array of dates: members' birth dates.
ALTER TABLE households ADD CONSTRAINT households_member_birth_dates_finite
    CHECK (NOT ('infinity'::date = ANY (member_birth_dates) OR '-infinity'::date = ANY (member_birth_dates)));
