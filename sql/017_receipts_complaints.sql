-- The review of a delivery (签收确认) and complaints (投诉 / 社会监督).
--
-- A delivery is the charity's word until the household's caseworker reviews it: the receipt is
-- `pending` from delivery until a caseworker confirms it or disputes it, once. Only confirmed
-- deliveries count as fulfilled in a charity's evaluation. A delivered match written without
-- the Store (rehearsals, older rows) may carry NULL, which reads as `pending`.
ALTER TABLE matches
    ADD COLUMN receipt_status         text CHECK (receipt_status IN ('pending', 'confirmed', 'disputed')),
    ADD COLUMN receipt_reviewed_by    bigint REFERENCES users (id) ON DELETE RESTRICT,
    ADD COLUMN receipt_reviewed_at    timestamptz CHECK (isfinite(receipt_reviewed_at)),
    ADD COLUMN receipt_dispute_reason text
        CHECK (receipt_dispute_reason <> '' AND char_length(receipt_dispute_reason) <= 1000),
    ADD CONSTRAINT matches_receipt_only_delivered CHECK (receipt_status IS NULL OR status = 'delivered'),
    ADD CONSTRAINT matches_receipt_review_whole CHECK (
        coalesce(receipt_status IN ('confirmed', 'disputed'), false) = (receipt_reviewed_at IS NOT NULL)
        AND (receipt_reviewed_by IS NULL OR receipt_reviewed_at IS NOT NULL)
        AND coalesce(receipt_status = 'disputed', false) = (receipt_dispute_reason IS NOT NULL));

UPDATE matches SET receipt_status = 'pending' WHERE status = 'delivered';

COMMENT ON COLUMN matches.receipt_status IS
    'The review of a delivery: pending until a caseworker of the household''s region confirms or disputes it, once.';
COMMENT ON COLUMN matches.receipt_dispute_reason IS
    'Why the delivery was disputed, as the caseworker wrote it; the dispute''s complaint carries the same text.';

CREATE TABLE complaints (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_type    text NOT NULL CHECK (subject_type IN ('match', 'offer', 'charity')),
    match_id        bigint REFERENCES matches (id) ON DELETE RESTRICT,
    offer_id        bigint REFERENCES offers (id) ON DELETE RESTRICT,
    charity_id      bigint NOT NULL REFERENCES charities (id) ON DELETE RESTRICT,
    category        text NOT NULL CHECK (category IN (
                        'delivery_disputed', 'not_delivered', 'poor_quality', 'misconduct', 'privacy', 'other')),
    body            text NOT NULL CHECK (body <> '' AND char_length(body) <= 2000),
    evidence_note   text CHECK (evidence_note <> '' AND char_length(evidence_note) <= 1000),
    raised_by       bigint REFERENCES users (id) ON DELETE RESTRICT,
    raised_role     text NOT NULL CHECK (raised_role IN ('admin', 'coordinator', 'caseworker', 'charity')),
    raised_at       timestamptz NOT NULL DEFAULT now() CHECK (isfinite(raised_at)),
    region_code     text CHECK (region_code ~ '^[0-9]{12}$'),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    due_at          timestamptz NOT NULL CHECK (isfinite(due_at)),
    outcome         text CHECK (outcome <> '' AND char_length(outcome) <= 2000),
    handled_by      bigint REFERENCES users (id) ON DELETE RESTRICT,
    handled_at      timestamptz CHECK (isfinite(handled_at)),
    CONSTRAINT complaints_subject_whole CHECK (
        (subject_type = 'match') = (match_id IS NOT NULL)
        AND (subject_type = 'offer') = (offer_id IS NOT NULL)),
    CONSTRAINT complaints_handling_whole CHECK (
        (status = 'open') = (handled_at IS NULL)
        AND (status = 'open') = (outcome IS NULL)
        AND (handled_by IS NULL OR handled_at IS NOT NULL)),
    CONSTRAINT complaints_due_after_raised CHECK (due_at > raised_at)
);
COMMENT ON TABLE complaints IS
    'Complaints and flags (投诉, 社会监督) about a match, an offer or a charity; handled by the coordinators of region_code (admins everywhere) before due_at. Texts never hold an ID number.';
COMMENT ON COLUMN complaints.charity_id IS 'The charity concerned, derived from the subject when raised: the public count is per charity.';
COMMENT ON COLUMN complaints.region_code IS
    'Where it is handled: the household''s region for a match, else the raiser''s region, else the charity''s; NULL: admins only.';
CREATE INDEX complaints_region_idx ON complaints (region_code text_pattern_ops, id);
CREATE INDEX complaints_charity_idx ON complaints (charity_id, status);
CREATE INDEX complaints_raiser_idx ON complaints (raised_by, id);
CREATE UNIQUE INDEX complaints_one_dispute_per_match ON complaints (match_id) WHERE category = 'delivery_disputed';
