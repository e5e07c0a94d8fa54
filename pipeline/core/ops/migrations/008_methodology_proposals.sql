-- Methodology changes under four eyes (pipeline/publishing/methodology.py): an administrator proposes a named
-- version; another administrator approves it (it becomes the data directory's methodology.toml and applies to the
-- next official build) or rejects it with a comment. The text is kept, so the proposal is exactly what was approved.
create table if not exists methodology_proposals (
    id           integer primary key autoincrement,
    name         text not null,                      -- a version's name, e.g. "2024 weights: openness doubled"
    hash         text not null,                      -- Methodology.hash of the text
    text         text not null,
    base_hash    text not null,                      -- the active methodology when it was proposed
    status       text not null check (status in ('proposed', 'approved', 'rejected')),
    proposed_by  text not null,
    proposed_at  text not null,
    decided_by   text,
    decided_at   text,
    comment      text
);
