-- CharityMatch schema (PostgreSQL 15).
-- The migrations runner wraps this file in one transaction and records it in
-- schema_migrations; nothing here may BEGIN/COMMIT or touch that table.
--
-- Conventions
--   * Surrogate keys are bigint identities; regions use their 12-digit code.
--   * Enumerations are text + CHECK with stable ASCII codes that the Swift code
--     mirrors (easier to evolve than CREATE TYPE ... AS ENUM inside migrations).
--   * Constraints that the API maps to 4xx problems carry explicit names. PostgreSQL
--     evaluates a table's CHECKs in name order and reports the first failure, so
--     names are chosen to report the plainest problem first (format before checksum).
--   * History-bearing rows are never cascaded away (ON DELETE RESTRICT); rows that
--     exist only as part of a parent cascade (tokens, idempotency keys, and needs of
--     a household deleted before any match; matches then block the delete).

-- ---------------------------------------------------------------------------
-- Helper functions (IMMUTABLE, usable in CHECKs, generated columns and queries)
-- ---------------------------------------------------------------------------

-- Level (1 province .. 5 village) implied by a 12-digit GB/T 2260 + NBS code,
-- or NULL when the code is not well formed. Each level's own segment must be
-- non-zero and everything after it zero. The county segment may be 00 below a
-- prefecture that has no counties (东莞 441900, 中山 442000, 儋州 460400 ...).
CREATE FUNCTION region_code_level(code text) RETURNS smallint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN code !~ '^[0-9]{12}$' OR left(code, 2) = '00' THEN NULL
    WHEN substr(code, 3) = '0000000000' THEN 1
    WHEN substr(code, 3, 2) = '00' THEN NULL            -- every lower unit has a prefecture
    WHEN substr(code, 5) = '00000000' THEN 2
    WHEN substr(code, 7) = '000000' THEN 3
    WHEN substr(code, 7, 3) = '000' THEN NULL           -- a village needs a township
    WHEN substr(code, 10) = '000' THEN 4
    ELSE 5
END;

-- The fixed-length prefix that a region's scope compares (2, 4, 6, 9 or 12
-- digits). Never "strip trailing zeros": township 110105100 would then cover
-- 110105101xxx.
CREATE FUNCTION region_scope_prefix(code text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(code, (ARRAY[2, 4, 6, 9, 12])[region_code_level(code)]);

-- All prefixes a 12-digit code can fall under, for
-- `offers.service_region_prefixes && region_ancestor_prefixes(h.region_code)` (GIN).
CREATE FUNCTION region_ancestor_prefixes(code text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY[left(code, 2), left(code, 4), left(code, 6), left(code, 9), code];

-- Every element is the scope prefix of some well-formed region code
-- ('32', '3205', '320508', '320508019', '320508019044'; not '320500', not '00').
CREATE FUNCTION region_prefixes_are_valid(prefixes text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_position(prefixes, NULL) IS NULL
   AND NOT EXISTS (
       SELECT 1 FROM unnest(prefixes) AS p
        WHERE p !~ '^[0-9]{2,12}$'
           OR region_scope_prefix(rpad(p, 12, '0')) IS DISTINCT FROM p);

-- 统一社会信用代码 check character (GB 32100-2015): alphabet without I O Z S V,
-- weights 3^(i-1) mod 31, check = alphabet[(31 - S mod 31) mod 31].
-- Codes are stored upper-case; the Swift validator upper-cases input first.
CREATE FUNCTION credit_code_is_valid(code text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'
   AND substr(code, 18, 1) = substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
         (31 - (SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, i, 1)) - 1)
                           * (ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])[i])
                  FROM generate_series(1, 17) AS i)::integer % 31) % 31 + 1, 1);

-- Keeps updated_at honest whatever statement touches a row.
CREATE FUNCTION touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Closed code sets shared by households (what a household has) and offers
-- (what an offer requires). A domain keeps one definition for both.
-- Array containment never matches a NULL element, so NULLs are rejected too.
CREATE DOMAIN assistance_status_set AS text[]
    CHECK (VALUE <@ ARRAY[
        'dibao',        -- 最低生活保障 (低保)
        'tekun',        -- 特困人员救助供养 (特困)
        'dibao_edge',   -- 低保边缘家庭
        'temporary',    -- 临时救助
        'medical'       -- 医疗救助
    ]::text[]);

CREATE DOMAIN vulnerability_flag_set AS text[]
    CHECK (VALUE <@ ARRAY[
        'living_alone_elderly',  -- 独居老人
        'disabled',              -- 残疾
        'severe_disability',     -- 重度残疾 (一二级)
        'minor',                 -- 未成年人
        'left_behind_child',     -- 留守儿童
        'orphan',                -- 孤儿、事实无人抚养儿童
        'serious_illness',       -- 重病 / 大病
        'single_parent',         -- 单亲
        'disaster_affected'      -- 受灾
    ]::text[]);

-- ---------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------

CREATE TABLE regions (
    code          text PRIMARY KEY,
    name          text NOT NULL CHECK (btrim(name) <> ''),
    level         smallint NOT NULL,
    parent_code   text REFERENCES regions (code) ON DELETE RESTRICT,
    scope_prefix  text GENERATED ALWAYS AS (region_scope_prefix(code)) STORED,
    centroid_lat  double precision CHECK (centroid_lat BETWEEN -90 AND 90),
    centroid_lon  double precision CHECK (centroid_lon BETWEEN -180 AND 180),
    CONSTRAINT regions_code_format CHECK (code ~ '^[0-9]{12}$'),
    CONSTRAINT regions_level_in_range CHECK (level BETWEEN 1 AND 5),
    CONSTRAINT regions_level_matches_code
        CHECK (region_code_level(code) IS NOT DISTINCT FROM level),
    -- Provinces are roots; anything else hangs under a padded prefix of itself
    -- (normally the next level up, but 东莞's townships hang under the prefecture).
    CONSTRAINT regions_parent_is_prefix CHECK (
        (level = 1) = (parent_code IS NULL)
        AND (parent_code IS NULL OR (parent_code <> code AND parent_code IN (
            rpad(left(code, 2), 12, '0'), rpad(left(code, 4), 12, '0'),
            rpad(left(code, 6), 12, '0'), rpad(left(code, 9), 12, '0'))))),
    CONSTRAINT regions_centroid_pair CHECK ((centroid_lat IS NULL) = (centroid_lon IS NULL))
);
COMMENT ON TABLE regions IS 'GB/T 2260 divisions extended to 12 digits (省2 市2 县2 乡镇3 村居3).';
COMMENT ON COLUMN regions.level IS '1 province, 2 prefecture/city, 3 county, 4 township, 5 village/community.';
COMMENT ON COLUMN regions.scope_prefix IS 'Fixed-length prefix (2/4/6/9/12 digits) that scope checks compare with LIKE prefix || ''%''. Never NULL for a stored row (the level CHECK guarantees a well-formed code).';
CREATE INDEX regions_parent_idx ON regions (parent_code);
CREATE INDEX regions_code_pattern_idx ON regions (code text_pattern_ops);

-- Two-level taxonomy. The three level-1 rows are the kinds themselves (code =
-- kind); a level-2 row's code is '<kind>.<name>' and its parent is the level-1
-- row of the same kind. The composite FK below makes "parent is level 1 and of
-- the same kind" declarative instead of trigger-enforced.
CREATE TABLE categories (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    level         smallint NOT NULL CHECK (level IN (1, 2)),
    kind          text NOT NULL CHECK (kind IN ('material', 'money', 'service')),
    parent_id     bigint,
    parent_level  smallint GENERATED ALWAYS AS (CASE WHEN parent_id IS NOT NULL THEN 1 END) STORED,
    name_zh       text NOT NULL CHECK (btrim(name_zh) <> ''),
    name_en       text NOT NULL CHECK (btrim(name_en) <> ''),
    default_unit  text,
    sort_order    smallint NOT NULL DEFAULT 0,
    UNIQUE (id, level, kind),
    FOREIGN KEY (parent_id, parent_level, kind)
        REFERENCES categories (id, level, kind) ON DELETE RESTRICT,
    CONSTRAINT categories_parent_by_level CHECK ((level = 1) = (parent_id IS NULL)),
    CONSTRAINT categories_code_shape CHECK (
        CASE level WHEN 1 THEN code = kind
                   ELSE code ~ '^[a-z]+\.[a-z][a-z0-9_]*$' AND split_part(code, '.', 1) = kind END),
    CONSTRAINT categories_unit_on_leaves CHECK (level = 1 OR default_unit IS NOT NULL)
);
COMMENT ON TABLE categories IS 'Aid taxonomy: material (物资) / money (资金) / service (服务), each with level-2 categories.';
COMMENT ON COLUMN categories.parent_level IS 'Always 1 when there is a parent; exists only so the FK can require a level-1 parent.';
COMMENT ON COLUMN categories.default_unit IS 'ASCII unit code proposed for needs/offers: portion, set, piece, box, yuan, hour, session.';
CREATE INDEX categories_parent_idx ON categories (parent_id);

-- ---------------------------------------------------------------------------
-- Organisations and people
-- ---------------------------------------------------------------------------

CREATE TABLE charities (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (btrim(name) <> ''),
    credit_code    text NOT NULL,
    kind           text NOT NULL CHECK (kind IN (
                       'foundation',             -- 基金会
                       'social_group',           -- 社会团体
                       'social_service_agency',  -- 社会服务机构 (民办非企业单位)
                       'enterprise',             -- 企业
                       'other')),
    region_code    text REFERENCES regions (code) ON DELETE RESTRICT,
    contact_name   text,
    contact_phone  text,
    status         text NOT NULL DEFAULT 'active'
                   CHECK (status IN ('active', 'suspended', 'banned')),
    banned_until   timestamptz,
    status_reason  text,
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT charities_credit_code_key UNIQUE (credit_code),
    CONSTRAINT charities_credit_code_format
        CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    CONSTRAINT charities_credit_code_valid CHECK (credit_code_is_valid(credit_code)),
    CONSTRAINT charities_banned_until_iff_banned
        CHECK ((status = 'banned') = (banned_until IS NOT NULL))
);
COMMENT ON TABLE charities IS 'Charitable organisations; exit/ban mechanism (退出/禁入) via status + banned_until. Never deleted.';
COMMENT ON COLUMN charities.banned_until IS 'Required iff status = banned; use ''infinity'' for a permanent ban.';

CREATE TABLE users (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login        text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    name         text NOT NULL CHECK (btrim(name) <> ''),
    role         text NOT NULL CHECK (role IN ('admin', 'coordinator', 'caseworker', 'charity')),
    region_code  text REFERENCES regions (code) ON DELETE RESTRICT,
    charity_id   bigint REFERENCES charities (id) ON DELETE RESTRICT,
    created_at   timestamptz NOT NULL DEFAULT now(),
    disabled_at  timestamptz,
    -- admin: no scope; caseworker/coordinator: a region; charity staff: one charity.
    CONSTRAINT users_scope_matches_role CHECK (CASE role
        WHEN 'admin'   THEN region_code IS NULL AND charity_id IS NULL
        WHEN 'charity' THEN region_code IS NULL AND charity_id IS NOT NULL
        ELSE                region_code IS NOT NULL AND charity_id IS NULL END)
);
COMMENT ON TABLE users IS 'Accounts. Disabled rather than deleted, because audit_log and decisions reference them.';
COMMENT ON COLUMN users.region_code IS 'Scope = regions.scope_prefix of this code (a whole city or province for coordinators).';
CREATE INDEX users_region_idx ON users (region_code);
CREATE INDEX users_charity_idx ON users (charity_id);

CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    label         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
COMMENT ON TABLE api_tokens IS 'Bearer tokens, stored only as SHA-256 of the token; lookup goes through the unique hash index.';
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE weight_policies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$'),
    version     integer NOT NULL CHECK (version >= 1),
    weights     jsonb NOT NULL,
    description text,
    created_by  bigint REFERENCES users (id) ON DELETE RESTRICT,
    created_at  timestamptz NOT NULL DEFAULT now(),
    active      boolean NOT NULL DEFAULT false,
    UNIQUE (name, version),
    UNIQUE (id, version),                    -- target of match_runs' (policy_id, policy_version)
    -- {"urgency": 0.25, ...}: an object whose values are all non-negative numbers.
    CONSTRAINT weight_policies_weights_shape CHECK (
        jsonb_typeof(weights) = 'object'
        AND NOT jsonb_path_exists(weights, '$.* ? (@.type() != "number" || @ < 0)'))
);
COMMENT ON TABLE weight_policies IS 'Versioned scoring weights. A version is never edited: a change is a new version.';
CREATE UNIQUE INDEX weight_policies_one_active_per_name ON weight_policies (name) WHERE active;

-- ---------------------------------------------------------------------------
-- Households and needs (caseworkers)
-- ---------------------------------------------------------------------------

CREATE TABLE households (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_number            text NOT NULL CHECK (btrim(case_number) <> ''),
    region_code            text NOT NULL REFERENCES regions (code) ON DELETE RESTRICT,
    members                integer NOT NULL CHECK (members >= 1),
    member_birth_dates     date[] NOT NULL DEFAULT '{}',
    assistance_statuses    assistance_status_set NOT NULL DEFAULT '{}',
    vulnerability_flags    vulnerability_flag_set NOT NULL DEFAULT '{}',
    per_capita_income      numeric(12, 2) CHECK (per_capita_income >= 0),
    latitude               double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude              double precision CHECK (longitude BETWEEN -180 AND 180),
    id_number_hmac         bytea NOT NULL CHECK (octet_length(id_number_hmac) = 32),
    id_number_last4        text NOT NULL CHECK (id_number_last4 ~ '^[0-9]{3}[0-9X]$'),
    id_number_encrypted    bytea,
    contact_name           text,
    contact_phone          text,
    address                text,
    consent_given_at       timestamptz,
    consent_scope          text,
    consent_withdrawn_at   timestamptz,
    created_by             bigint REFERENCES users (id) ON DELETE RESTRICT,
    version                integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT households_case_number_key UNIQUE (case_number),
    CONSTRAINT households_id_number_hmac_key UNIQUE (id_number_hmac),
    -- 特困 and 低保 exclude each other, and 低保边缘 means "neither".
    CONSTRAINT households_exclusive_statuses CHECK (
        (('dibao' = ANY (assistance_statuses))::int + ('tekun' = ANY (assistance_statuses))::int
         + ('dibao_edge' = ANY (assistance_statuses))::int) <= 1),
    CONSTRAINT households_birth_dates_fit CHECK (
        cardinality(member_birth_dates) <= members
        AND array_position(member_birth_dates, NULL) IS NULL),
    CONSTRAINT households_location_pair CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CONSTRAINT households_consent_order CHECK (
        (consent_given_at IS NULL) = (consent_scope IS NULL)
        AND (consent_withdrawn_at IS NULL
             OR (consent_given_at IS NOT NULL AND consent_withdrawn_at >= consent_given_at)))
);
COMMENT ON TABLE households IS 'Assisted households (救助对象). The ID number is never stored in clear.';
COMMENT ON COLUMN households.case_number IS 'External case number from the assistance system; unique.';
COMMENT ON COLUMN households.member_birth_dates IS 'Known members'' birth dates; an offer''s min/max age matches if some member is in range.';
COMMENT ON COLUMN households.per_capita_income IS 'Monthly per-capita income in yuan; NULL = not assessed.';
COMMENT ON COLUMN households.latitude IS 'Household location for proximity; NULL falls back to the region centroid.';
COMMENT ON COLUMN households.id_number_hmac IS 'HMAC-SHA256(pepper, upper-cased 身份证号) of the applicant: duplicate detection without the number. Plain SHA-256 would be brute-forceable.';
COMMENT ON COLUMN households.id_number_encrypted IS 'Optional ciphertext of the number for lawful disclosure; key held outside the database.';
COMMENT ON COLUMN households.consent_given_at IS 'Consent to share with charities (民发〔2023〕46号). No consent, or withdrawn consent, means no candidates and nothing shown to charities.';
CREATE INDEX households_region_pattern_idx ON households (region_code text_pattern_ops);

CREATE TABLE needs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id        bigint NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    category_id         bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    quantity            integer NOT NULL,
    unit                text NOT NULL CHECK (btrim(unit) <> ''),
    fulfilled_quantity  integer NOT NULL DEFAULT 0,
    urgency             smallint NOT NULL DEFAULT 3,
    emergency           boolean NOT NULL DEFAULT false,
    needed_by           date,
    description         text,
    status              text NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'matched', 'fulfilled', 'cancelled', 'expired')),
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    recorded_by         bigint REFERENCES users (id) ON DELETE RESTRICT,
    closed_at           timestamptz,
    version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT needs_quantity_positive CHECK (quantity > 0),
    CONSTRAINT needs_fulfilled_within_quantity CHECK (fulfilled_quantity BETWEEN 0 AND quantity),
    CONSTRAINT needs_urgency_range CHECK (urgency BETWEEN 1 AND 5),
    CONSTRAINT needs_closed_when_final CHECK (
        (status IN ('fulfilled', 'cancelled', 'expired')) = (closed_at IS NOT NULL))
);
COMMENT ON TABLE needs IS 'What a household needs, in whole units of one category (normally a level-2 one).';
COMMENT ON COLUMN needs.emergency IS '急难 flag: the urgency factor is 1 regardless of urgency.';
COMMENT ON COLUMN needs.recorded_at IS 'Start of the waiting-time factor.';
COMMENT ON COLUMN needs.status IS 'open -> matched (fully covered by live matches) -> fulfilled | cancelled | expired.';
CREATE INDEX needs_category_status_idx ON needs (category_id, status);
CREATE INDEX needs_household_idx ON needs (household_id, status);
CREATE INDEX needs_open_needed_by_idx ON needs (needed_by) WHERE status IN ('open', 'matched');

-- ---------------------------------------------------------------------------
-- Offers (charities)
-- ---------------------------------------------------------------------------

CREATE TABLE offers (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    charity_id               bigint NOT NULL REFERENCES charities (id) ON DELETE RESTRICT,
    category_id              bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    title                    text NOT NULL CHECK (btrim(title) <> ''),
    description              text,
    capacity                 integer NOT NULL,
    allocated                integer NOT NULL DEFAULT 0,
    unit                     text NOT NULL CHECK (btrim(unit) <> ''),
    unit_value               numeric(12, 2) CHECK (unit_value >= 0),
    service_region_prefixes  text[] NOT NULL DEFAULT '{}',
    center_lat               double precision CHECK (center_lat BETWEEN -90 AND 90),
    center_lon               double precision CHECK (center_lon BETWEEN -180 AND 180),
    radius_km                numeric(8, 2) CHECK (radius_km > 0),
    eligible_statuses        assistance_status_set NOT NULL DEFAULT '{}',
    required_flags           vulnerability_flag_set NOT NULL DEFAULT '{}',
    min_age                  smallint CHECK (min_age BETWEEN 0 AND 150),
    max_age                  smallint CHECK (max_age BETWEEN 0 AND 150),
    min_household_size       integer CHECK (min_household_size >= 1),
    max_household_size       integer CHECK (max_household_size >= 1),
    available_from           timestamptz NOT NULL DEFAULT now(),
    available_until          timestamptz,
    status                   text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paused', 'closed')),
    version                  integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by               bigint REFERENCES users (id) ON DELETE RESTRICT,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    -- The last line of defence against over-promising; allocation itself is a
    -- guarded UPDATE (or row lock) in Store.
    CONSTRAINT offers_allocated_within_capacity CHECK (0 <= allocated AND allocated <= capacity),
    CONSTRAINT offers_region_prefixes_valid CHECK (region_prefixes_are_valid(service_region_prefixes)),
    CONSTRAINT offers_circle_complete CHECK (
        (center_lat IS NULL) = (center_lon IS NULL) AND (center_lat IS NULL) = (radius_km IS NULL)),
    CONSTRAINT offers_has_service_area CHECK (
        cardinality(service_region_prefixes) > 0 OR radius_km IS NOT NULL),
    CONSTRAINT offers_age_order CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
    CONSTRAINT offers_household_size_order CHECK (
        min_household_size IS NULL OR max_household_size IS NULL OR min_household_size <= max_household_size),
    CONSTRAINT offers_validity_order CHECK (available_until IS NULL OR available_from < available_until)
);
COMMENT ON TABLE offers IS 'What a charity can give: capacity in whole units, service area, eligibility, validity window.';
COMMENT ON COLUMN offers.allocated IS 'Units held by live or delivered matches. A cache: tests and audits count match rows.';
COMMENT ON COLUMN offers.unit_value IS 'Yuan per unit, for resource-gap and 公示 statistics.';
COMMENT ON COLUMN offers.service_region_prefixes IS 'Scope prefixes (2/4/6/9/12 digits) of covered regions; a household is covered if one of its ancestor prefixes is listed.';
COMMENT ON COLUMN offers.radius_km IS 'Alternative (or additional) area: a circle around center_lat/center_lon. Either form covers.';
COMMENT ON COLUMN offers.eligible_statuses IS 'Household must hold at least one of these; empty = any.';
COMMENT ON COLUMN offers.required_flags IS 'Household must carry all of these; empty = none required.';
COMMENT ON COLUMN offers.version IS 'Optimistic concurrency token exposed as the ETag; bumped by every update.';
CREATE INDEX offers_category_status_idx ON offers (category_id, status, available_from, available_until);
CREATE INDEX offers_charity_idx ON offers (charity_id, status);
CREATE INDEX offers_region_prefixes_gin ON offers USING gin (service_region_prefixes);

-- ---------------------------------------------------------------------------
-- Matching
-- ---------------------------------------------------------------------------

CREATE TABLE match_runs (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code        text NOT NULL REFERENCES regions (code) ON DELETE RESTRICT,
    policy_id          bigint,
    policy_version     integer,
    weights            jsonb NOT NULL CHECK (jsonb_typeof(weights) = 'object'),
    options            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    created_by         bigint REFERENCES users (id) ON DELETE RESTRICT,
    started_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    needs_count        integer NOT NULL DEFAULT 0 CHECK (needs_count >= 0),
    offers_count       integer NOT NULL DEFAULT 0 CHECK (offers_count >= 0),
    edges_count        integer NOT NULL DEFAULT 0 CHECK (edges_count >= 0),
    matches_count      integer NOT NULL DEFAULT 0 CHECK (matches_count >= 0),
    units_count        bigint  NOT NULL DEFAULT 0 CHECK (units_count >= 0),
    objective_micro    bigint  NOT NULL DEFAULT 0 CHECK (objective_micro >= 0),
    solver             text NOT NULL CHECK (btrim(solver) <> ''),
    input_fingerprint  text,
    status             text NOT NULL DEFAULT 'running'
                       CHECK (status IN ('running', 'completed', 'failed', 'dry_run')),
    error              text,
    FOREIGN KEY (policy_id, policy_version)
        REFERENCES weight_policies (id, version) ON DELETE RESTRICT,
    CONSTRAINT match_runs_policy_pair CHECK ((policy_id IS NULL) = (policy_version IS NULL)),
    CONSTRAINT match_runs_finished_unless_running CHECK (
        (status = 'running') = (finished_at IS NULL) AND (finished_at IS NULL OR finished_at >= started_at))
);
COMMENT ON TABLE match_runs IS 'One matching run over a region scope; proposals, holds and counts are written in one transaction under an advisory lock.';
COMMENT ON COLUMN match_runs.region_code IS 'Scope: needs of households under regions.scope_prefix of this code.';
COMMENT ON COLUMN match_runs.policy_id IS 'Policy used; NULL = built-in default weights. weights is always the snapshot actually used.';
COMMENT ON COLUMN match_runs.options IS 'Run parameters (per-household cap, duplicate-aid look-back days, hold hours, ...).';
COMMENT ON COLUMN match_runs.objective_micro IS 'Σ units·score in millionths (scores are fixed-point micro units), exact and comparable across solvers.';
COMMENT ON COLUMN match_runs.input_fingerprint IS 'Hash of the exported instance (needs/offers/edges CSV) so a rerun or an external solver can be checked against it.';
COMMENT ON COLUMN match_runs.status IS 'dry_run: computed and reported, no matches written, no capacity held.';
CREATE INDEX match_runs_region_idx ON match_runs (region_code, started_at DESC);

CREATE TABLE matches (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    need_id          bigint NOT NULL REFERENCES needs (id) ON DELETE RESTRICT,
    offer_id         bigint NOT NULL REFERENCES offers (id) ON DELETE RESTRICT,
    run_id           bigint REFERENCES match_runs (id) ON DELETE RESTRICT,
    units            integer NOT NULL CHECK (units > 0),
    score_micro      bigint CHECK (score_micro >= 0),
    breakdown        jsonb CHECK (jsonb_typeof(breakdown) = 'object'),
    status           text NOT NULL DEFAULT 'proposed' CHECK (status IN (
                         'proposed', 'approved', 'accepted', 'delivered',
                         'rejected', 'declined', 'cancelled', 'expired')),
    hold_expires_at  timestamptz,
    created_by       bigint REFERENCES users (id) ON DELETE RESTRICT,
    created_at       timestamptz NOT NULL DEFAULT now(),
    decided_by       bigint REFERENCES users (id) ON DELETE RESTRICT,
    decided_at       timestamptz,
    reason_code      text CHECK (reason_code ~ '^[a-z][a-z0-9_]*$'),
    note             text,
    version          integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, status),                     -- target of feedback's (match_id, match_status)
    CONSTRAINT matches_run_scored CHECK (run_id IS NULL OR (score_micro IS NOT NULL AND breakdown IS NOT NULL)),
    CONSTRAINT matches_decision_recorded CHECK (
        (status = 'proposed' OR decided_at IS NOT NULL) AND (decided_by IS NULL OR decided_at IS NOT NULL)),
    CONSTRAINT matches_refusal_has_reason CHECK (
        status NOT IN ('rejected', 'declined', 'cancelled') OR reason_code IS NOT NULL)
);
COMMENT ON TABLE matches IS 'A need/offer pairing for some units: proposed -> approved -> accepted -> delivered, or rejected | declined | cancelled | expired.';
COMMENT ON COLUMN matches.run_id IS 'NULL for a manual match made by a caseworker or coordinator.';
COMMENT ON COLUMN matches.score_micro IS 'Σ wₖ·fₖ in millionths; NULL only for an unscored manual match.';
COMMENT ON COLUMN matches.breakdown IS 'Factor values, weights and sum as computed, so a coordinator can read why.';
COMMENT ON COLUMN matches.hold_expires_at IS 'Capacity is held until then while proposed/approved/accepted; a sweeper expires the match after.';
COMMENT ON COLUMN matches.decided_by IS 'Latest decision (approve, reject, accept, decline, deliver, cancel); NULL by = system (expiry). Full trail in audit_log.';
-- At most one live match per need/offer pair; terminal rows do not count.
CREATE UNIQUE INDEX matches_one_live_per_pair ON matches (need_id, offer_id)
    WHERE status IN ('proposed', 'approved', 'accepted');
CREATE INDEX matches_status_idx ON matches (status);
CREATE INDEX matches_run_idx ON matches (run_id);
CREATE INDEX matches_offer_idx ON matches (offer_id, status);
CREATE INDEX matches_need_idx ON matches (need_id, status);
CREATE INDEX matches_hold_expiry_idx ON matches (hold_expires_at)
    WHERE status IN ('proposed', 'approved', 'accepted');

-- One feedback per delivered match. The constant match_status column plus the
-- FK to matches (id, status) makes "delivered" declarative: a match with
-- feedback can no longer leave the delivered state (FK is NO ACTION on update).
CREATE TABLE feedback (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id      bigint NOT NULL,
    match_status  text NOT NULL DEFAULT 'delivered' CHECK (match_status = 'delivered'),
    satisfaction  smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    comment       text,
    recorded_by   bigint REFERENCES users (id) ON DELETE RESTRICT,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT feedback_match_id_key UNIQUE (match_id),
    CONSTRAINT feedback_match_delivered FOREIGN KEY (match_id, match_status)
        REFERENCES matches (id, status) ON DELETE RESTRICT
);
COMMENT ON TABLE feedback IS 'Household satisfaction (1-5) per delivered match; feeds the charity reliability factor.';

-- Government and charity aid per household: the basis of duplicate-aid checks
-- (one aid record per household, 民发〔2023〕46号) and of the fairness factor.
CREATE TABLE aid_records (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id) ON DELETE RESTRICT,
    source        text NOT NULL CHECK (source IN ('government', 'charity')),
    category_id   bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    charity_id    bigint REFERENCES charities (id) ON DELETE RESTRICT,
    match_id      bigint REFERENCES matches (id) ON DELETE RESTRICT,
    amount        numeric(12, 2) CHECK (amount >= 0),
    units         integer CHECK (units > 0),
    given_on      date NOT NULL,
    program       text,
    external_ref  text,
    recorded_by   bigint REFERENCES users (id) ON DELETE RESTRICT,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT aid_records_match_id_key UNIQUE (match_id),
    CONSTRAINT aid_records_has_quantity CHECK (amount IS NOT NULL OR units IS NOT NULL),
    CONSTRAINT aid_records_charity_fields CHECK (
        source = 'charity' OR (charity_id IS NULL AND match_id IS NULL))
);
COMMENT ON COLUMN aid_records.amount IS 'Value in yuan (money aid, or the value of goods/services when known).';
COMMENT ON COLUMN aid_records.program IS 'Free text for government programmes, e.g. 低保金, 临时救助金.';
COMMENT ON COLUMN aid_records.external_ref IS 'Identifier in the source system; makes imports idempotent.';
COMMENT ON COLUMN aid_records.match_id IS 'The delivered match this record came from; NULL for aid given outside the platform.';
CREATE INDEX aid_records_household_idx ON aid_records (household_id, given_on DESC);
CREATE INDEX aid_records_category_idx ON aid_records (category_id, given_on);
CREATE UNIQUE INDEX aid_records_external_ref_key ON aid_records (source, external_ref)
    WHERE external_ref IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Audit and idempotency
-- ---------------------------------------------------------------------------

CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_user_id  bigint REFERENCES users (id) ON DELETE RESTRICT,
    action         text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    entity_type    text NOT NULL CHECK (entity_type ~ '^[a-z][a-z0-9_]*$'),
    entity_id      text NOT NULL CHECK (entity_id <> ''),
    reason         text,
    details        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object')
);
COMMENT ON TABLE audit_log IS 'Append-only trail of every write that matters. UPDATE, DELETE and TRUNCATE raise SQLSTATE 42501.';
COMMENT ON COLUMN audit_log.actor_user_id IS 'NULL = the system (sweepers, CLI runs without a user).';
COMMENT ON COLUMN audit_log.action IS 'Dotted verb, e.g. match.approve, household.consent_withdraw.';
COMMENT ON COLUMN audit_log.entity_id IS 'Text so that region codes and category codes fit as well as bigint ids.';
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = '42501',
              HINT = 'Record a correction as a new audit_log row.';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- PUBLIC never had these; the REVOKE documents intent and survives later GRANTs
-- to PUBLIC. The triggers are what stop the owning (application) role.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- Replay store for Idempotency-Key on writes that matter (create, approve,
-- accept, deliver). A row with completed_at NULL is a request in flight.
CREATE TABLE idempotency_keys (
    user_id                bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key                    text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash           bytea NOT NULL CHECK (octet_length(request_hash) = 32),
    response_status        smallint CHECK (response_status BETWEEN 100 AND 599),
    response_content_type  text,
    response_body          bytea,
    created_at             timestamptz NOT NULL DEFAULT now(),
    completed_at           timestamptz,
    PRIMARY KEY (user_id, key),
    CONSTRAINT idempotency_keys_completion CHECK (
        (completed_at IS NULL) = (response_status IS NULL)
        AND (completed_at IS NULL OR completed_at >= created_at))
);
COMMENT ON COLUMN idempotency_keys.request_hash IS 'SHA-256 of method, path and body: the same key with a different request is a 422, not a replay.';
COMMENT ON COLUMN idempotency_keys.response_body IS 'Exact bytes sent, so a replay is byte-identical.';
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- ---------------------------------------------------------------------------
-- updated_at maintenance
-- ---------------------------------------------------------------------------

CREATE TRIGGER charities_touch BEFORE UPDATE ON charities
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER households_touch BEFORE UPDATE ON households
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER needs_touch BEFORE UPDATE ON needs
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER offers_touch BEFORE UPDATE ON offers
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER matches_touch BEFORE UPDATE ON matches
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
