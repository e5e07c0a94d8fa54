-- Region-scoped accounts and the roles of submissions (pipeline/access/users.py): submitter (a city bureau, rows of
-- its own regions) and reviewer (the provincial bureau) join viewer, uploader and admin, and an account may be
-- limited to regions (their codes joined by semicolons, each with every region under it in the dictionary, null
-- meaning every region). SQLite cannot change a check constraint in place: the table is copied into a new one.
create table users_new (
    username       text primary key,
    password_hash  text,
    role           text not null check (role in ('viewer', 'submitter', 'uploader', 'reviewer', 'admin')),
    disabled       integer not null default 0,
    created_by     text not null,
    created_at     text not null,
    last_login_at  text,
    regions        text
);
insert into users_new (username, password_hash, role, disabled, created_by, created_at, last_login_at)
    select username, password_hash, role, disabled, created_by, created_at, last_login_at from users;
drop table users;
alter table users_new rename to users;
