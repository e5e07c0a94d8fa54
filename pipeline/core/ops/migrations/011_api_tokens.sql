-- Tokens of the open-data API (pipeline/access/tokens.py): a staff account reads embargoed releases and the working
-- build through the API with one. Only a hash of the token's secret is kept (SHA-256: the secret is 256 random bits,
-- so a slow password hash would add nothing but cost to every request); the token is shown once, when it is made.
-- A token acts with its account's current role: a demoted, disabled or removed account's tokens stop working.
create table if not exists api_tokens (
    token_id      text primary key,                    -- public part of the token (cst_<token_id>_<secret>)
    username      text not null,
    name          text not null,                       -- what it is for, e.g. "portal build server"
    secret_sha256 text not null,
    created_by    text not null,
    created_at    text not null,
    expires_at    text,                                -- ISO 8601 UTC; null: never
    revoked_by    text,
    revoked_at    text,
    last_used_at  text
);
create index if not exists api_tokens_user on api_tokens (username);
