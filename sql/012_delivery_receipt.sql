-- What a charity records when it delivers a match: how much reached the household, on which
-- day (China time), and the receiver's confirmation (签收) - the name as signed, or the code
-- of a receipt the charity keeps. Matches delivered before this migration, and those the
-- system delivers in rehearsals, carry none of it; a delivery recorded by a person carries
-- all of it (the Store requires it, these CHECKs keep it coherent).
ALTER TABLE matches
    ADD COLUMN delivered_units integer,
    ADD COLUMN delivered_on    date,
    ADD COLUMN received_by     text,
    ADD COLUMN receipt_code    text,
    ADD CONSTRAINT matches_delivered_units_within CHECK (delivered_units > 0 AND delivered_units <= units),
    ADD CONSTRAINT matches_delivered_on_finite CHECK (isfinite(delivered_on)),
    ADD CONSTRAINT matches_receipt_text CHECK (
        (received_by IS NULL OR (received_by <> '' AND char_length(received_by) <= 100))
        AND (receipt_code IS NULL OR (receipt_code <> '' AND char_length(receipt_code) <= 100))),
    ADD CONSTRAINT matches_delivery_report_whole CHECK (
        (delivered_units IS NULL AND delivered_on IS NULL AND received_by IS NULL AND receipt_code IS NULL)
        OR (status = 'delivered' AND delivered_units IS NOT NULL AND delivered_on IS NOT NULL
            AND (received_by IS NOT NULL OR receipt_code IS NOT NULL)));

COMMENT ON COLUMN matches.delivered_units IS
    'Units that reached the household (at most the match''s units; the rest went back to the offer). NULL: the whole match, recorded without a report.';
COMMENT ON COLUMN matches.delivered_on IS 'The day of delivery in China, not before approval and not after the day it was recorded.';
COMMENT ON COLUMN matches.received_by IS 'The receiver''s name as signed on the receipt (签收人). Never written to logs.';
COMMENT ON COLUMN matches.receipt_code IS 'The number of a receipt the charity keeps, when the receiver signed on paper.';
