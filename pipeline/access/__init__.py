"""Access: accounts, roles, login and the audit log.

- :mod:`~pipeline.access.users`: accounts (local, with an argon2id password hash, or OpenID Connect), the roles
  viewer < uploader < admin, login, the role check, and the audit log;
- :mod:`~pipeline.access.tokens`: tokens of the open-data API (hashed at rest, expiring, revocable, audited), each
  acting with its account's current role.

Enters: a user name and a password (or the e-mail an OpenID provider reports), or an API token; a role an action
needs.
Leaves: a :class:`~pipeline.access.users.User` (or ``AccessDenied``, ``LoginFailed``); audit log entries.
May import: pipeline.core.
"""
