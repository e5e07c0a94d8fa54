"""Who is using the app, and what they may do.

With no account in the data directory the app runs single-user (the demo on localhost) and says so. Once an
account exists (`clusterstats users add`), nothing is shown before a login: a local account with its password, or
the organisation's OpenID Connect provider through Streamlit's `st.login` when `.streamlit/secrets.toml` has an
`[auth]` section (the e-mail the provider reports must have an account here). Roles: viewer (read), uploader
(plus upload and rebuild), admin (plus methodology, schedules, users, the audit log). Every page that changes
something asks :func:`can_upload` or :func:`is_admin`, so the rules live here and nowhere else.
"""

from __future__ import annotations

import streamlit as st

from pipeline.access.users import LOCAL, LoginLocked, User, auth_enabled, current_account, login, openid_user
from pipeline.core.errors import ClusterstatsError
from ui.i18n import t

SESSION_KEY = "clusterstats_user"
ENDED_KEY = "clusterstats_session_ended"  # why the last session ended, shown once above the login form


def _settings():  # noqa: ANN202 (avoid a cycle: ui.data imports this module's callers)
    from ui.data import settings

    return settings()


def user() -> User:
    """The logged-in user (the local single user when the data directory has no accounts)."""
    found = st.session_state.get(SESSION_KEY)
    return found if found is not None else LOCAL


def current_user() -> str:
    """The name recorded with uploads, methodology versions and jobs."""
    return user().username


def is_admin() -> bool:
    """Whether the user may change the methodology, the schedules and the users."""
    return user().can("admin")


def can_upload() -> bool:
    """Whether the user may land uploads and start rebuilds (an uploader; a submitter may upload its regions' rows
    only: :func:`upload_scope`, :func:`can_submit`)."""
    return user().can("uploader")


def can_submit() -> bool:
    """Whether the user may land uploads at all (a submitter: rows of its own regions)."""
    return user().can("submitter")


def upload_scope() -> tuple[str, ...] | None:
    """The regions the user's uploads are limited to (None: every region)."""
    return user().scope


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, ClusterstatsError):
        return False
    except Exception:  # noqa: BLE001 - Streamlit raises its own error when there is no secrets file
        return False


def _refresh(settings) -> None:  # noqa: ANN001
    """The session's account read again from the store, on every interaction: a removed or disabled account ends
    the session, a changed role applies to this very run (the page says so)."""
    held = st.session_state.get(SESSION_KEY)
    if held is None:
        return
    now = current_account(settings, held.username)
    if now is None or now.disabled:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[ENDED_KEY] = t("session_ended_removed" if now is None else "session_ended_disabled",
                                        name=held.username)
    elif now.role != held.role:
        st.session_state[SESSION_KEY] = now
        st.info(t("session_role_changed", name=now.username, role=t(f"role_{now.role}"),
                  before=t(f"role_{held.role}")))


def _client() -> str:
    """Where a login comes from, for its throttling: the browser's address as the server sees it."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (AppTest)
        address = None
    return f"app:{address or 'unknown'}"


def require_login() -> None:
    """Stop the page at a login form when the data directory has accounts and nobody is logged in; check a
    logged-in session's account against the store first."""
    settings = _settings()
    if not auth_enabled(settings):
        st.session_state.pop(SESSION_KEY, None)
        return
    _refresh(settings)
    if st.session_state.get(SESSION_KEY) is not None:
        with st.sidebar:
            u = user()
            st.caption(t("signed_in_as", name=u.username, role=t(f"role_{u.role}")))
            if st.button(t("log_out"), key="log_out"):
                st.session_state.pop(SESSION_KEY, None)
                if _oidc_configured() and getattr(st.user, "is_logged_in", False):
                    st.logout()
                st.rerun()
        return
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        try:
            st.session_state[SESSION_KEY] = openid_user(settings, str(st.user.email))
            st.rerun()
        except ClusterstatsError as exc:
            st.error(str(exc))
    st.title(t("login_title"))
    ended = st.session_state.pop(ENDED_KEY, None)
    if ended:
        st.warning(ended)
    with st.form("login"):
        name = st.text_input(t("user_name"), key="login_name")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("log_in"))
    if submitted:
        try:
            st.session_state[SESSION_KEY] = login(settings, name.strip(), password, client=_client())
            st.rerun()
        except LoginLocked as exc:
            st.error(t("login_locked", minutes=exc.details["minutes"]))
        except ClusterstatsError:
            st.error(t("login_failed"))
    if _oidc_configured():
        st.button(t("log_in_oidc"), on_click=st.login, key="log_in_oidc")
    st.stop()
