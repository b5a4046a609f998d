-- Sign-in with a login and a password (issue 14): people sign in to the dashboard with a
-- password an administrator set; bearer tokens stay for API clients.
--
-- The password is kept only as a slow salted hash (scrypt, in the PHC string form
-- `$scrypt$ln=…,r=…,p=…$salt$hash`, so its cost can be raised later without a migration).
-- Failed attempts are counted here, not in a process, so a lockout holds across every
-- `charity-match serve` sharing the database.
ALTER TABLE users
    ADD COLUMN password_hash        text CHECK (password_hash LIKE '$scrypt$%'),
    ADD COLUMN password_set_at      timestamptz CHECK (isfinite(password_set_at)),
    ADD COLUMN password_must_change boolean NOT NULL DEFAULT false,
    ADD COLUMN failed_sign_ins      integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    ADD COLUMN locked_until         timestamptz CHECK (isfinite(locked_until)),
    ADD CONSTRAINT users_password_dated CHECK ((password_hash IS NULL) = (password_set_at IS NULL));
COMMENT ON COLUMN users.password_must_change IS 'Set by an administrator''s reset: the next sign-in must choose a new password.';
COMMENT ON COLUMN users.failed_sign_ins IS 'Wrong passwords since the last success or lockout; the limit locks the account.';
COMMENT ON COLUMN users.locked_until IS 'Sign-in refused until then, after too many wrong passwords.';

-- A dashboard session now stands either on a bearer token (signed in by pasting it) or on
-- the account itself (signed in with a password). A password session ends when the account
-- is disabled or its password is set again.
ALTER TABLE dashboard_sessions
    ALTER COLUMN token_id DROP NOT NULL,
    ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    ADD CONSTRAINT dashboard_sessions_one_credential CHECK ((token_id IS NULL) <> (user_id IS NULL));
CREATE INDEX dashboard_sessions_user_idx ON dashboard_sessions (user_id);
