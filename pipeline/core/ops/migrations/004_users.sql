-- Local accounts and their roles. Authentication is on as soon as one account exists; until then the system runs
-- single-user (the demo on localhost). OpenID Connect users are accounts without a password, matched by e-mail.
create table if not exists users (
    username       text primary key,            -- login name, or the e-mail an OpenID Connect provider reports
    password_hash  text,                        -- argon2id, or null for OpenID Connect accounts
    role           text not null check (role in ('viewer', 'uploader', 'admin')),
    disabled       integer not null default 0,
    created_by     text not null,
    created_at     text not null,
    last_login_at  text
);
