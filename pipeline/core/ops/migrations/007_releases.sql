-- Submissions and releases (pipeline/publishing/). An upload by a city's submitter is a submission: 'submitted'
-- until a provincial reviewer accepts it (it enters official builds) or returns it with a comment (it never does).
-- An upload by provincial staff (uploader, reviewer, admin) is accepted as it lands. Uploads landed before this
-- migration were official already: they are recorded as accepted.
create table if not exists submissions (
    upload_id     text primary key references uploads (upload_id),
    state         text not null check (state in ('submitted', 'accepted', 'returned')),
    submitted_by  text not null,
    submitted_at  text not null,
    reviewed_by   text,
    reviewed_at   text,
    comment       text,                                -- the reviewer's, shown to the submitter
    preview_json  text                                 -- the change report of official + this upload vs official
);
insert or ignore into submissions (upload_id, state, submitted_by, submitted_at, reviewed_by, reviewed_at, comment)
    select upload_id, 'accepted', who, landed_at, 'system', landed_at, 'landed before submissions were reviewed'
    from uploads;

-- Releases: a frozen copy of an official build (data/releases/, read-only, content-hashed). Never edited: a
-- correction is a new release that names the one it revises. draft -> approved (another person) -> published
-- (by the worker at publish_at, in one transaction).
create table if not exists releases (
    number          integer primary key,
    title           text not null,
    reference_year  integer,
    publish_at      text not null,                     -- ISO 8601, UTC: the embargo ends
    timezone        text not null,                     -- the zone publish_at was announced in
    status          text not null check (status in ('draft', 'approved', 'published')),
    created_by      text not null,
    created_at      text not null,
    approved_by     text,
    approved_at     text,
    published_at    text,
    build_id        text not null,
    methodology_hash text not null,
    code_version    text not null,
    landing_seq     integer not null,
    uploads_json    text not null,                     -- [{upload_id, kind, vintage, sha256}] the build read
    file            text not null,                     -- relative to the data directory
    sha256          text not null,                     -- of the file's bytes
    revises         integer references releases (number),
    revision_note   text,
    changes_json    text                               -- the revision's change report against the release it revises
);
