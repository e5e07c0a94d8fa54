"""Accounts, roles and who may do what.

Roles, each including the ones before: ``viewer`` (read scorecards), ``submitter`` (plus upload rows of its own
regions: a city bureau), ``uploader`` (plus upload anything and rebuild), ``reviewer`` (plus review submissions:
the provincial bureau), ``admin`` (plus methodology, schedules and users). An account may be limited to regions
(``regions``: codes, each with every region under it in the regions dictionary); a submitter always is. Local
accounts keep an argon2id hash of their password (the argon2-cffi library, salted per password); OpenID Connect
accounts (Streamlit's login) have no password and are matched by the e-mail the provider reports. Authentication
is on as soon as one account exists: then nothing is readable without logging in. With no account the system runs
single-user, as the demo does on localhost.
Every login, failed login and change of an account goes to the audit log.

Password logins are throttled: after ``login_max_failures`` failed logins (5 unless set) of one account, or from one
client (an address of the app, the operating-system user of the CLI), within ``login_lockout_minutes`` (15 unless
set), that account or client is locked until that long after its last failure, the right password included; each
refusal is in the audit log (``login_locked``). A successful login clears the account's count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore, utc_now
from pipeline.core.safety import visible
from pipeline.core.settings import Settings, os_user

ROLES = ("viewer", "submitter", "uploader", "reviewer", "admin")
_HASHER = PasswordHasher()


class AccessDenied(ClusterstatsError):
    """You are not allowed to do this; ask an administrator for the role it needs."""


class LoginFailed(ClusterstatsError):
    """Unknown user name or wrong password."""


class LoginLocked(ClusterstatsError):
    """Too many failed logins: wait, then try again (or ask an administrator)."""


ENV_MAX_FAILURES = "CLUSTERSTATS_LOGIN_MAX_FAILURES"
ENV_LOCKOUT_MINUTES = "CLUSTERSTATS_LOGIN_LOCKOUT_MINUTES"


@dataclass(frozen=True)
class Throttle:
    """How many failed logins lock an account or a client, and for how long."""

    max_failures: int = 5
    minutes: float = 15.0

    @classmethod
    def of(cls, settings: Settings) -> Throttle:
        """``Settings.extra["login_max_failures"]`` / ``["login_lockout_minutes"]``, else the environment variables
        ``CLUSTERSTATS_LOGIN_MAX_FAILURES`` / ``CLUSTERSTATS_LOGIN_LOCKOUT_MINUTES``, else 5 failures, 15 minutes."""
        failures = settings.extra.get("login_max_failures") or os.environ.get(ENV_MAX_FAILURES) or cls.max_failures
        minutes = settings.extra.get("login_lockout_minutes") or os.environ.get(ENV_LOCKOUT_MINUTES) or cls.minutes
        return cls(max(1, int(failures)), float(minutes))


@dataclass(frozen=True)
class User:
    username: str
    role: str
    disabled: bool = False
    local: bool = True  # a password account (False: OpenID Connect)
    regions: tuple[str, ...] = ()  # the regions it may submit rows of (empty: every region)

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The regions this account's uploads are limited to, or None when it may upload rows of every region."""
        return self.regions or None

    @property
    def submits(self) -> bool:
        """Whether this account's uploads are submissions awaiting the province's review (a city's submitter), not
        official as they land (provincial staff: uploader and above)."""
        return self.role == "submitter"

    @property
    def staff(self) -> bool:
        """Provincial staff (uploader and above): they may read the official and working builds and releases not yet
        published; everyone else reads published releases only."""
        return self.can("uploader")

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a stronger one."""
        return not self.disabled and ROLES.index(self.role) >= ROLES.index(role)


#: The user of a data directory without accounts (single-user mode).
LOCAL = User("local user", "admin")


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


def auth_enabled(settings: Settings) -> bool:
    """Whether accounts exist (then every reader and writer must log in)."""
    if not settings.ops_path.exists():
        return False
    with _store(settings).connect() as con:
        return con.execute("select count(*) from users").fetchone()[0] > 0


def list_users(settings: Settings) -> list[User]:
    with _store(settings).connect() as con:
        rows = con.execute("select username, role, disabled, password_hash is not null, regions from users "
                           "order by username")
        return [User(r[0], r[1], bool(r[2]), bool(r[3]), _regions(r[4])) for r in rows.fetchall()]


def _regions(text: str | None) -> tuple[str, ...]:
    return tuple(r for r in (text or "").split(";") if r)


def _check_regions(role: str, regions: tuple[str, ...]) -> None:
    if role == "submitter" and not regions:
        raise ClusterstatsError("A submitter is limited to regions: give them, e.g. --regions 210100 (a city and "
                                "every region under it).")
    bad = [r for r in regions if visible(r) != r or not r or len(r) > 32 or ";" in r]
    if bad:
        raise ClusterstatsError(f"Region codes are 1 to 32 characters without control characters or ';': {bad!r}.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ClusterstatsError(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")


def add_user(settings: Settings, username: str, role: str, *, password: str | None, by: User,
             regions: tuple[str, ...] | list[str] = ()) -> User:
    """Create an account. The first account of a data directory must be an admin and can be created by anyone
    on the machine (it switches authentication on); after that only an admin can add accounts. ``regions``: the
    regions it may submit rows of (required for a submitter)."""
    _check_role(role)
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    _check_regions(role, regions)
    name = username.strip()
    if not name or len(name) > 200:
        raise ClusterstatsError("A user name is 1 to 200 characters.")
    if visible(name) != name:
        raise ClusterstatsError(f"A user name may not hold control characters (line breaks, tabs, terminal codes): "
                                f"{visible(name)!r}. Choose a name of letters, digits and punctuation.")
    if password is not None and len(password) < 8:
        raise ClusterstatsError("Use a password of at least 8 characters.")
    first = not auth_enabled(settings)
    if first and role != "admin":
        raise ClusterstatsError("The first account must be an admin (it switches authentication on).")
    if not first:
        require(by, "admin", "add users", settings=settings)
    with _store(settings).transaction() as con:
        if con.execute("select 1 from users where username = ?", (name,)).fetchone():
            raise ClusterstatsError(f"User {name!r} exists already; change its role with `users role`.")
        con.execute(
            "insert into users (username, password_hash, role, created_by, created_at, regions) "
            "values (?, ?, ?, ?, ?, ?)",
            (name, _HASHER.hash(password) if password is not None else None, role, by.username, utc_now(),
             ";".join(regions) or None),
        )
        OpsStore._audit(con, by.username, "user_added", {"user": name, "role": role, "regions": list(regions),
                                                         "login": "password" if password else "openid"})
    return User(name, role, local=password is not None, regions=regions)


def set_regions(settings: Settings, username: str, regions: tuple[str, ...] | list[str], *, by: User) -> None:
    """Limit an account to ``regions`` (empty: every region; a submitter must keep some)."""
    require(by, "admin", "change an account's regions", settings=settings)
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    with _store(settings).transaction() as con:
        row = con.execute("select role from users where username = ?", (username,)).fetchone()
        if row is None:
            raise ClusterstatsError(f"No user {username!r}.")
        _check_regions(row[0], regions)
        con.execute("update users set regions = ? where username = ?", (";".join(regions) or None, username))
        OpsStore._audit(con, by.username, "user_regions", {"user": username, "regions": list(regions)})


def set_role(settings: Settings, username: str, role: str, *, by: User) -> None:
    _check_role(role)
    require(by, "admin", "change roles", settings=settings)
    with _store(settings).transaction() as con:
        row = con.execute("select regions from users where username = ?", (username,)).fetchone()
        if row is None:
            raise ClusterstatsError(f"There is no user {username!r}.")
        _check_regions(role, _regions(row[0]))
        _keep_an_admin(con, username, role)
        con.execute("update users set role = ? where username = ?", (role, username))
        OpsStore._audit(con, by.username, "user_role", {"user": username, "role": role})


def remove_user(settings: Settings, username: str, *, by: User) -> None:
    require(by, "admin", "remove users", settings=settings)
    with _store(settings).transaction() as con:
        if not con.execute("select 1 from users where username = ?", (username,)).fetchone():
            raise ClusterstatsError(f"There is no user {username!r}.")
        _keep_an_admin(con, username, None)
        con.execute("delete from users where username = ?", (username,))
        OpsStore._audit(con, by.username, "user_removed", {"user": username})


def _keep_an_admin(con, username: str, new_role: str | None) -> None:  # noqa: ANN001
    admins = {r[0] for r in con.execute("select username from users where role = 'admin' and not disabled")}
    if admins == {username} and new_role != "admin":
        raise ClusterstatsError("That would leave no administrator; make another user an admin first.")


def login(settings: Settings, username: str, password: str, *, client: str | None = None,
          now: datetime | None = None) -> User:
    """Check a password; records the attempt in the audit log either way. ``client``: where the attempt comes
    from (the app's client address; default: the operating-system user running the CLI). Raises
    :class:`LoginLocked` while the account or the client is locked (:class:`Throttle`), without checking the
    password."""
    client = client or f"cli:{os_user()}"
    now = now or datetime.now(UTC)
    at = now.isoformat(timespec="seconds")
    store = _store(settings)
    with store.transaction() as con:
        until = _locked_until(con, username, client, Throttle.of(settings), now)
        if until is not None:
            OpsStore._audit(con, username, "login_locked", {"method": "password", "client": client,
                                                            "until": until.isoformat(timespec="seconds")}, at=at)
        else:
            row = con.execute("select password_hash, role, disabled, regions from users where username = ?",
                              (username,)).fetchone()
            ok = False
            if row is not None and row[0] is not None and not row[2]:
                try:
                    ok = _HASHER.verify(row[0], password)
                except (VerificationError, InvalidHashError):
                    ok = False
            OpsStore._audit(con, username, "login" if ok else "login_failed", {"method": "password",
                                                                               "client": client}, at=at)
            if ok:
                con.execute("update users set last_login_at = ? where username = ?", (at, username))
    # raised after the commit, so the attempt stays in the audit log
    if until is not None:
        minutes = max(1, int(-(-(until - now).total_seconds() // 60)))
        raise LoginLocked(f"Too many failed logins for {username} or from this client: locked until "
                          f"{until.isoformat(timespec='minutes')} UTC (in {minutes} min). Try again then, or ask an "
                          "administrator.", until=until, minutes=minutes)
    if not ok:
        raise LoginFailed()
    return User(username, row[1], regions=_regions(row[3]))


def _locked_until(con, username: str, client: str, throttle: Throttle, now: datetime) -> datetime | None:  # noqa: ANN001
    """When the account's or the client's lock ends (None: not locked). ``max_failures`` failed logins within
    ``minutes`` of each other (the account's counted since its last successful login) lock it until ``minutes``
    after the last of them."""
    n = throttle.max_failures
    account = con.execute(
        "select at from audit_log where who = ? and action = 'login_failed' and id > "
        "(select coalesce(max(id), 0) from audit_log where who = ? and action = 'login') order by id desc limit ?",
        (username, username, n)).fetchall()
    from_client = con.execute(
        "select at from audit_log where action = 'login_failed' and json_extract(detail, '$.client') = ? "
        "order by id desc limit ?", (client, n)).fetchall()
    window = timedelta(minutes=throttle.minutes)
    ends = []
    for rows in (account, from_client):
        times = [datetime.fromisoformat(r[0]) for r in rows]
        if len(times) == n and times[0] - times[-1] <= window:  # the newest n failures within one window
            ends.append(times[0] + window)
    until = max(ends, default=None)
    return until if until is not None and until > now else None



def openid_user(settings: Settings, email: str) -> User:
    """The account of an OpenID Connect login (by e-mail); records the login; refuses unknown e-mails."""
    with _store(settings).transaction() as con:
        row = con.execute("select role, disabled, regions from users where username = ?", (email,)).fetchone()
        ok = row is not None and not row[1]
        OpsStore._audit(con, email, "login" if ok else "login_failed", {"method": "openid"})
        if ok:
            con.execute("update users set last_login_at = ? where username = ?", (utc_now(), email))
    if not ok:
        raise AccessDenied(f"{email} has no account here; ask an administrator to add it.")
    return User(email, row[0], local=False, regions=_regions(row[2]))


def current_account(settings: Settings, username: str) -> User | None:
    """The account ``username`` as the store has it now (its role, whether it is disabled), or None when it no
    longer exists. A session holds a :class:`User` from its login; the app asks this on every interaction, so a
    changed role or a removed account takes effect at once."""
    with _store(settings).connect() as con:
        row = con.execute("select role, disabled, password_hash is not null, regions from users where username = ?",
                          (username,)).fetchone()
    return None if row is None else User(username, row[0], bool(row[1]), bool(row[2]), _regions(row[3]))


def require(user: User, role: str, action: str, *, settings: Settings | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``user`` has ``role`` (or a stronger one). With ``settings`` a refusal is
    recorded in the audit log (who, what, the role it needs and the role they have) before it is raised."""
    if user.can(role):
        return
    if settings is not None:
        with _store(settings).transaction() as con:
            OpsStore._audit(con, user.username, "refused", {"action": action, "needs": role, "role": user.role,
                                                            "disabled": user.disabled})
    raise AccessDenied(f"{user.username} ({user.role}) may not {action}: that needs the {role} role. "
                       "Ask an administrator.")


def audit_log(settings: Settings, *, limit: int = 200) -> list[dict[str, object]]:
    """The newest audit-log entries (for administrators)."""
    import json

    with _store(settings).connect() as con:
        rows = con.execute("select at, who, action, detail from audit_log order by id desc limit ?", (limit,))
        return [{"at": r[0], "who": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows.fetchall()]
