"""Tokens of the open-data API: how a staff account reads embargoed releases and the working build through it.

A token is ``cst_<id>_<secret>``: the id names it in lists and in the audit log; the secret (256 random bits) is
shown once, when the token is made, and only its SHA-256 is kept (a slow password hash protects guessable
passwords; a random secret cannot be guessed, and every request checks its token). A token belongs to an account
of the user store and acts with that account's role *as it is now*: a demoted, disabled or removed account's
tokens stop giving more than public access at once. Tokens expire (90 days unless set) and can be revoked by their
account or an administrator. Making, revoking and refusing a token, and every read of data not yet public through
one, go to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pipeline.access.users import AccessDenied, User, current_account, require
from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings

PREFIX = "cst_"
DEFAULT_DAYS = 90
_SHAPE = re.compile(r"^cst_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
#: how often a token's last use is written back (not on every request)
LAST_USED_EVERY = timedelta(minutes=1)


class TokenRefused(ClusterstatsError):
    """The API token is unknown, malformed, expired or revoked, or its account no longer exists or is disabled."""


@dataclass(frozen=True)
class ApiToken:
    token_id: str
    username: str
    name: str
    created_by: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None

    def state(self, now: datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at:
            return "revoked"
        now = now or datetime.now(UTC)
        if self.expires_at and datetime.fromisoformat(self.expires_at) <= now:
            return "expired"
        return "active"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


def create_token(settings: Settings, username: str, *, by: User, name: str, days: int | None = DEFAULT_DAYS,
                 now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``username`` (by the account itself or an administrator): the token's record and its text,
    which is shown this once. ``days``: its lifetime (None: it never expires)."""
    if by.username != username:
        require(by, "admin", "make API tokens for other accounts", settings=settings)
    account = current_account(settings, username)
    if account is None or account.disabled:
        raise ClusterstatsError(f"There is no active account {username!r}; a token belongs to an account "
                                "(`clusterstats users list`).")
    label = name.strip()
    if not label or len(label) > 200 or not label.isprintable():
        raise ClusterstatsError("Name the token by what it is for (1 to 200 printable characters), e.g. "
                                "--name \"portal build server\".")
    if days is not None and not 1 <= days <= 3660:
        raise ClusterstatsError(f"A token lives 1 to 3660 days (got {days}); --days 0 makes one that never expires.")
    now = now or datetime.now(UTC)
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    expires = _iso(now + timedelta(days=days)) if days is not None else None
    with _store(settings).transaction() as con:
        con.execute("insert into api_tokens (token_id, username, name, secret_sha256, created_by, created_at, "
                    "expires_at) values (?, ?, ?, ?, ?, ?, ?)",
                    (token_id, username, label, _digest(secret), by.username, _iso(now), expires))
        OpsStore._audit(con, by.username, "token_created", {"token": token_id, "user": username, "name": label,
                                                            "expires_at": expires})
    token = ApiToken(token_id, username, label, by.username, _iso(now), expires, None, None)
    return token, f"{PREFIX}{token_id}_{secret}"


def list_tokens(settings: Settings, *, username: str | None = None) -> list[ApiToken]:
    """Every token (of ``username`` only, when given), newest first; never a secret."""
    with _store(settings).connect() as con:
        rows = con.execute("select token_id, username, name, created_by, created_at, expires_at, revoked_at, "
                           "last_used_at from api_tokens where ? is null or username = ? order by created_at desc, "
                           "token_id", (username, username)).fetchall()
    return [ApiToken(*r) for r in rows]


def revoke_token(settings: Settings, token_id: str, *, by: User) -> ApiToken:
    """Revoke a token (its account or an administrator); from then on it is refused."""
    with _store(settings).transaction() as con:
        row = con.execute("select username, revoked_at from api_tokens where token_id = ?", (token_id,)).fetchone()
        if row is None:
            raise ClusterstatsError(f"There is no API token {token_id!r} (`clusterstats tokens list`).")
        if row[0] != by.username and not by.can("admin"):
            OpsStore._audit(con, by.username, "refused", {"action": "revoke another account's API token",
                                                          "needs": "admin", "role": by.role})
            raise AccessDenied(f"{by.username} may not revoke {row[0]}'s token: that needs the admin role.")
        if row[1] is None:
            con.execute("update api_tokens set revoked_at = ?, revoked_by = ? where token_id = ?",
                        (_iso(datetime.now(UTC)), by.username, token_id))
            OpsStore._audit(con, by.username, "token_revoked", {"token": token_id, "user": row[0]})
    return next(t for t in list_tokens(settings) if t.token_id == token_id)


def token_user(settings: Settings, text: str, *, client: str = "", now: datetime | None = None
               ) -> tuple[User, str]:
    """The account a token acts for, with its current role, and the token's id; :class:`TokenRefused` (recorded
    in the audit log) otherwise. Reads without migrating the store (an unmigrated store has no tokens)."""
    now = now or datetime.now(UTC)
    shape = _SHAPE.match(text.strip())
    token_id = shape.group(1) if shape else None
    reason, row = "malformed", None
    if shape and settings.ops_path.exists():
        try:
            with OpsStore(settings.ops_path).connect() as con:
                row = con.execute("select username, secret_sha256, expires_at, revoked_at, last_used_at "
                                  "from api_tokens where token_id = ?", (token_id,)).fetchone()
        except sqlite3.OperationalError:  # no tokens table yet
            row = None
        reason = "unknown"
    account = None
    if row is not None:
        if not hmac.compare_digest(row[1], _digest(shape.group(2))):
            reason = "wrong secret"
        elif row[3] is not None:
            reason = "revoked"
        elif row[2] is not None and datetime.fromisoformat(row[2]) <= now:
            reason = "expired"
        else:
            account = current_account(settings, row[0])
            reason = "account removed" if account is None else "account disabled" if account.disabled else ""
    if account is None or reason:
        if settings.ops_path.exists():
            _store(settings).audit(row[0] if row is not None and reason != "wrong secret" else "anonymous",
                                   "token_refused", {"token": token_id, "reason": reason, "client": client})
        raise TokenRefused(f"The API token was refused ({reason}). Make a new one with `clusterstats tokens create`.",
                           reason=reason)
    last = row[4]
    if last is None or datetime.fromisoformat(last) + LAST_USED_EVERY <= now:
        with OpsStore(settings.ops_path).transaction() as con:
            con.execute("update api_tokens set last_used_at = ? where token_id = ?", (_iso(now), token_id))
    return account, token_id  # type: ignore[return-value]


def audit_read(settings: Settings, user: User, token_id: str, what: str, path: str) -> None:
    """Record a read of data not yet public (an embargoed or draft release, a build) through a token."""
    OpsStore(settings.ops_path).audit(user.username, "api_read", {"token": token_id, "what": what, "path": path})


__all__ = ["DEFAULT_DAYS", "PREFIX", "ApiToken", "TokenRefused", "audit_read", "create_token", "list_tokens",
           "revoke_token", "token_user"]
