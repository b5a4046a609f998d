-- 绩效评价: a periodic evaluation of the charities serving a region's households, computed
-- from the match, receipt, feedback and complaint rows of the period, scored by the
-- coordinator, then published (公示). A draft may be computed again and scored; a published
-- evaluation never changes (the triggers below refuse it, whoever asks).
CREATE TABLE evaluations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_prefix  text NOT NULL CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$'),
    period         text NOT NULL CHECK (period ~ '^[0-9]{4}Q[1-4]$'),
    starts_on      date NOT NULL CHECK (isfinite(starts_on)),
    ends_on        date NOT NULL CHECK (isfinite(ends_on)),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    computed_by    bigint REFERENCES users (id) ON DELETE RESTRICT,
    computed_at    timestamptz NOT NULL DEFAULT now() CHECK (isfinite(computed_at)),
    published_by   bigint REFERENCES users (id) ON DELETE RESTRICT,
    published_at   timestamptz CHECK (isfinite(published_at)),
    CONSTRAINT evaluations_period_order CHECK (ends_on > starts_on),
    CONSTRAINT evaluations_published_whole CHECK (
        (status = 'published') = (published_at IS NOT NULL) AND (published_by IS NULL OR published_at IS NOT NULL)),
    CONSTRAINT evaluations_one_per_region_period UNIQUE (region_prefix, period)
);
COMMENT ON TABLE evaluations IS
    'A period''s evaluation (绩效评价) of the charities serving a county or wider region: draft, then published for good.';
COMMENT ON COLUMN evaluations.ends_on IS 'The first day after the period: matches proposed in [starts_on, ends_on) count.';

CREATE TABLE evaluation_charities (
    evaluation_id        bigint NOT NULL REFERENCES evaluations (id) ON DELETE RESTRICT,
    charity_id           bigint NOT NULL REFERENCES charities (id) ON DELETE RESTRICT,
    accepted             integer NOT NULL CHECK (accepted >= 0),
    delivered            integer NOT NULL CHECK (delivered >= 0),
    confirmed            integer NOT NULL CHECK (confirmed >= 0 AND confirmed <= delivered),
    disputed             integer NOT NULL CHECK (disputed >= 0 AND confirmed + disputed <= delivered),
    lapsed               integer NOT NULL CHECK (lapsed >= 0),
    taken_over           integer NOT NULL CHECK (taken_over >= 0),
    median_days          float8 CHECK (median_days >= 0),
    complaints           integer NOT NULL CHECK (complaints >= 0),
    complaints_open      integer NOT NULL CHECK (complaints_open >= 0 AND complaints_open <= complaints),
    satisfaction_average float8 CHECK (satisfaction_average BETWEEN 1 AND 5),
    satisfaction_count   integer NOT NULL CHECK (satisfaction_count >= 0),
    coordinator_score    smallint CHECK (coordinator_score BETWEEN 0 AND 100),
    coordinator_note     text CHECK (coordinator_note <> '' AND char_length(coordinator_note) <= 1000),
    score                float8 NOT NULL CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (evaluation_id, charity_id)
);
COMMENT ON TABLE evaluation_charities IS
    'One charity''s figures in an evaluation and the 0-100 score Store''s EvaluationFormula gives them.';
COMMENT ON COLUMN evaluation_charities.lapsed IS 'Declined after approval, or expired after acceptance: failures.';
COMMENT ON COLUMN evaluation_charities.taken_over IS 'Cancelled with reason code taken_over (临时接管): failures.';
CREATE INDEX evaluation_charities_charity_idx ON evaluation_charities (charity_id);
CREATE INDEX evaluations_published_idx ON evaluations (published_at DESC, id DESC) WHERE status = 'published';

-- A published evaluation is a record: neither it nor its rows change or go.
CREATE FUNCTION evaluations_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'evaluations' THEN
        IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'evaluation % is published and cannot change', OLD.id
                USING ERRCODE = '42501', CONSTRAINT = 'evaluations_published_immutable';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM evaluations e WHERE e.id = OLD.evaluation_id AND e.status = 'published') THEN
        RAISE EXCEPTION 'evaluation % is published and cannot change', OLD.evaluation_id
            USING ERRCODE = '42501', CONSTRAINT = 'evaluations_published_immutable';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER evaluations_immutable BEFORE UPDATE OR DELETE ON evaluations
    FOR EACH ROW EXECUTE FUNCTION evaluations_published_immutable();
CREATE TRIGGER evaluation_charities_immutable BEFORE UPDATE OR DELETE ON evaluation_charities
    FOR EACH ROW EXECUTE FUNCTION evaluations_published_immutable();
CREATE FUNCTION evaluation_charities_insert_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM evaluations e WHERE e.id = NEW.evaluation_id AND e.status = 'published') THEN
        RAISE EXCEPTION 'evaluation % is published and cannot change', NEW.evaluation_id
            USING ERRCODE = '42501', CONSTRAINT = 'evaluations_published_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER evaluation_charities_insert BEFORE INSERT ON evaluation_charities
    FOR EACH ROW EXECUTE FUNCTION evaluation_charities_insert_draft();
