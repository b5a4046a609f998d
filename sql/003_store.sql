-- What the Store layer relies on beyond the base schema.
--
-- Capacity model: a proposal holds nothing; approving a match reserves its units
-- (offers.allocated), and reject/decline/cancel/expiry of an approved or accepted
-- match releases them exactly once. A matching run therefore offers each offer's
-- capacity minus allocated minus the units of proposals still pending on it.

COMMENT ON COLUMN offers.allocated IS
    'Units reserved by approved, accepted or delivered matches (proposals hold nothing). A cache kept by guarded UPDATEs in Store; tests and audits count match rows.';
COMMENT ON COLUMN matches.hold_expires_at IS
    'A proposal lapses, and an approved or accepted match releases its units, when this passes without the next step; the expiry sweep does both.';

-- The built-in policy, so a fresh installation can run matchings and record which
-- weights it used. Same numbers as WeightPolicy.standard in the Matching module
-- (the Store tests hold the two together).
INSERT INTO weight_policies (name, version, weights, description, active)
VALUES ('standard', 1,
        '{"urgency": 0.25, "vulnerability": 0.20, "proximity": 0.10, "waiting_time": 0.10,
          "category_fit": 0.10, "reliability": 0.05, "fairness": 0.10, "deadline_fit": 0.10}',
        'Neediest first: urgency and vulnerability, then waiting time, fairness and fit.',
        true);

-- Candidate generation starts from the open needs of a region's households.
CREATE INDEX needs_open_household_idx ON needs (household_id) WHERE status = 'open';
-- Open offers are few; the candidate join reads them all by category.
CREATE INDEX offers_open_category_idx ON offers (category_id) WHERE status = 'open';
