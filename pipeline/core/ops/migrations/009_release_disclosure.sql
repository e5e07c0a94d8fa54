-- Disclosure control of releases (pipeline/publishing/disclosure.py): what the release's protection did (its
-- report, as JSON), and, when a table could not be fully assessed (no firm information), the administrator who
-- acknowledged publishing it so, when and why (also in the audit log).
alter table releases add column disclosure_json text;
alter table releases add column acknowledged_by text;
alter table releases add column acknowledged_at text;
alter table releases add column acknowledged_note text;
