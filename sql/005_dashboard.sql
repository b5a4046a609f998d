-- Sessions of the dashboard: a person signs in with a bearer token once and then carries
-- an HttpOnly cookie. The cookie holds a random secret; only its SHA-256 is stored, as for
-- tokens. A session lives no longer than its token (revoking the token ends it) and carries
-- the CSRF token its forms must send back.
CREATE TABLE dashboard_sessions (
    secret_hash  bytea PRIMARY KEY CHECK (octet_length(secret_hash) = 32),
    token_id     bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL CHECK (length(csrf_token) = 43),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    CONSTRAINT dashboard_sessions_expiry CHECK (expires_at > created_at)
);
CREATE INDEX dashboard_sessions_token_idx ON dashboard_sessions (token_id);
CREATE INDEX dashboard_sessions_expiry_idx ON dashboard_sessions (expires_at);
