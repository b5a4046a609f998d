-- The inbox: what a person must hear about (a takeover of their matches, a transfer sent
-- to their office, a hold about to lapse) is written here in the transaction of the change
-- that causes it, so a message exists exactly when its cause committed. A message goes to
-- one account, to every staff account of a charity, or to every account of a role whose
-- region contains a place (the caseworkers of a household's village, say); each reader's
-- "read" is their own.
CREATE TABLE inbox_messages (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at            timestamptz NOT NULL DEFAULT now() CHECK (isfinite(created_at)),
    kind                  text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    entity_type           text NOT NULL CHECK (entity_type ~ '^[a-z][a-z0-9_]*$'),
    entity_id             text NOT NULL CHECK (entity_id <> ''),
    details               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    recipient_user_id     bigint REFERENCES users (id) ON DELETE RESTRICT,
    recipient_charity_id  bigint REFERENCES charities (id) ON DELETE RESTRICT,
    recipient_role        text CHECK (recipient_role IN ('admin', 'coordinator', 'caseworker', 'charity')),
    recipient_region      text CHECK (recipient_region ~ '^[0-9]{12}$'),
    CONSTRAINT inbox_messages_one_audience CHECK (
        num_nonnulls(recipient_user_id, recipient_charity_id, recipient_role) = 1
        AND (recipient_role IS NULL) = (recipient_region IS NULL))
);
COMMENT ON TABLE inbox_messages IS
    'Messages to people, written in the transaction of their cause. Texts are rendered from kind + details; details never hold a household''s name or ID number.';
COMMENT ON COLUMN inbox_messages.recipient_region IS
    'With recipient_role: every account of that role whose region scope contains this place.';
CREATE INDEX inbox_messages_user_idx ON inbox_messages (recipient_user_id, id) WHERE recipient_user_id IS NOT NULL;
CREATE INDEX inbox_messages_charity_idx ON inbox_messages (recipient_charity_id, id)
    WHERE recipient_charity_id IS NOT NULL;
CREATE INDEX inbox_messages_staff_idx ON inbox_messages (recipient_role, recipient_region text_pattern_ops, id)
    WHERE recipient_role IS NOT NULL;

CREATE TABLE inbox_reads (
    message_id  bigint NOT NULL REFERENCES inbox_messages (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at     timestamptz NOT NULL DEFAULT now() CHECK (isfinite(read_at)),
    PRIMARY KEY (user_id, message_id)
);
COMMENT ON TABLE inbox_reads IS 'Who has read which message: a message to many is read by each on their own.';
