-- 转办/转介 (民发〔2017〕153号): a caseworker sends a whole household to the office of the
-- village it moves to (kind 'household'), or refers one of its needs to a named charity outside
-- matching (kind 'referral'). The receiver accepts or returns it with a reason; the sender may
-- withdraw it while it is pending. A household is never in two places at once: at most one
-- pending transfer per household, and it stays where it is (owned by the sender) until accepted.
CREATE TABLE case_transfers (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind               text NOT NULL CHECK (kind IN ('household', 'referral')),
    household_id       bigint NOT NULL REFERENCES households (id) ON DELETE RESTRICT,
    need_id            bigint REFERENCES needs (id) ON DELETE RESTRICT,
    from_region        text NOT NULL CHECK (from_region ~ '^[0-9]{12}$'),
    to_region          text REFERENCES regions (code) ON DELETE RESTRICT,
    to_charity_id      bigint REFERENCES charities (id) ON DELETE RESTRICT,
    reason             text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    status             text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'accepted', 'returned', 'withdrawn')),
    sent_by            bigint REFERENCES users (id) ON DELETE RESTRICT,
    sent_at            timestamptz NOT NULL DEFAULT now() CHECK (isfinite(sent_at)),
    due_at             timestamptz NOT NULL CHECK (isfinite(due_at) AND due_at > sent_at),
    decided_by         bigint REFERENCES users (id) ON DELETE RESTRICT,
    decided_at         timestamptz CHECK (isfinite(decided_at) AND decided_at >= sent_at),
    return_reason      text CHECK (btrim(return_reason) <> '' AND length(return_reason) <= 500),
    CONSTRAINT case_transfers_kind_target CHECK (
        (kind = 'household' AND to_region IS NOT NULL AND to_charity_id IS NULL AND need_id IS NULL)
        OR (kind = 'referral' AND to_region IS NULL AND to_charity_id IS NOT NULL AND need_id IS NOT NULL)),
    CONSTRAINT case_transfers_decision CHECK ((status = 'pending') = (decided_at IS NULL)),
    CONSTRAINT case_transfers_return_reason CHECK ((status = 'returned') = (return_reason IS NOT NULL))
);
COMMENT ON TABLE case_transfers IS
    '转介: a household sent to another village''s office or a need referred to a named charity; two-way (accepted or returned with a reason).';
COMMENT ON COLUMN case_transfers.from_region IS 'The household''s region when it was sent: the sending office''s place.';
COMMENT ON COLUMN case_transfers.to_region IS 'Household transfers: the village the household moves to; its township''s caseworkers decide.';
COMMENT ON COLUMN case_transfers.due_at IS 'The receiver''s time limit (5 days from sending by default); pending past it is overdue.';

-- Never in two places at once: one pending transfer per household, whatever its kind.
CREATE UNIQUE INDEX case_transfers_one_pending_idx ON case_transfers (household_id) WHERE status = 'pending';
CREATE INDEX case_transfers_household_idx ON case_transfers (household_id, id);
-- Runs and candidate lists skip needs a charity has taken on; this keeps the test cheap.
CREATE INDEX case_transfers_taken_need_idx ON case_transfers (need_id)
    WHERE kind = 'referral' AND status = 'accepted';
CREATE INDEX case_transfers_to_region_idx ON case_transfers (to_region text_pattern_ops, id) WHERE to_region IS NOT NULL;
CREATE INDEX case_transfers_from_region_idx ON case_transfers (from_region text_pattern_ops, id);
CREATE INDEX case_transfers_to_charity_idx ON case_transfers (to_charity_id, id) WHERE to_charity_id IS NOT NULL;
