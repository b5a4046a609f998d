-- Idempotency keys keep the outcome, not the answer.
--
-- A key is claimed and completed inside the effect's own transaction, so a committed key
-- always has its outcome and nothing is ever left "in flight" once the effect committed.
-- The outcome is the entity the request created or changed (its kind and id, and whether it
-- was created); a replay reads that entity afresh under the caller's current rights, so no
-- answer body (which could hold a phone number or an address) is stored at all.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_completion;
ALTER TABLE idempotency_keys
    DROP COLUMN response_status,
    DROP COLUMN response_content_type,
    DROP COLUMN response_body,
    ADD COLUMN outcome_entity text CHECK (outcome_entity ~ '^[a-z_]+$'),
    ADD COLUMN outcome_id bigint CHECK (outcome_id > 0),
    ADD COLUMN outcome_created boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT idempotency_keys_outcome_pair CHECK ((outcome_entity IS NULL) = (outcome_id IS NULL));
ALTER TABLE idempotency_keys ALTER COLUMN completed_at SET DEFAULT now();
UPDATE idempotency_keys SET completed_at = now() WHERE completed_at IS NULL;
ALTER TABLE idempotency_keys ALTER COLUMN completed_at SET NOT NULL;
COMMENT ON COLUMN idempotency_keys.outcome_entity IS
    'What the request created or changed (match, need, offer, household, charity, match_run, weight_policy); NULL when it answered no entity.';
