-- A database filled by `charity-match seed --demo` (scripts/demo) carries this one row, in
-- the seed's own transaction. Commands that fabricate history - `charity-match rehearse`
-- plays approvals, deliveries and ratings that feed reliability scores and public figures -
-- run only where it is present, so they can never touch a real county's records.
CREATE TABLE demo_mark (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    county_code text NOT NULL CHECK (county_code ~ '^[0-9]{12}$'),
    seeded_at   timestamptz NOT NULL DEFAULT now() CHECK (isfinite(seeded_at))
);
