"""Accounts (administrators): every account with its role and the regions it may submit, a new account, a changed
role or regions. The same rules as `clusterstats users` (a submitter needs regions; changes are audited)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.access.users import ROLES, add_user, list_users, set_regions, set_role
from pipeline.core.errors import ClusterstatsError
from ui import data
from ui.access import is_admin, user
from ui.i18n import t
from ui.tables import data_table

s = data.settings()
st.title(t("nav_accounts"))
st.caption(t("accounts_caption"))
if not is_admin():
    st.info(t("accounts_admin_only"))
    st.stop()
done = st.session_state.pop("accounts_done", None)
if done:
    st.success(done)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("，", ",").replace(";", ",").split(",") if c.strip()]


accounts = list_users(s)
roles = {r: t(f"role_{r}") for r in ROLES}  # (in this session's language, here in its thread)
data_table(pl.DataFrame({
    t("user_name"): [u.username for u in accounts], t("role"): [t(f"role_{u.role}") for u in accounts],
    t("account_regions"): [", ".join(u.regions) or t("all_regions") for u in accounts],
    t("account_disabled"): [t("yes") if u.disabled else "" for u in accounts]},
    schema={t("user_name"): pl.String, t("role"): pl.String, t("account_regions"): pl.String,
            t("account_disabled"): pl.String}), hide_index=True, key="accounts_table")

left, right = st.columns(2)
with left, st.form("account_add"):
    st.markdown(f"**{t('account_add')}**")
    name = st.text_input(t("user_name"), key="account_name")
    role = st.selectbox(t("role"), ROLES, key="account_role", format_func=roles.__getitem__)
    regions = st.text_input(t("account_regions"), key="account_regions", help=t("account_regions_help"))
    password = st.text_input(t("password"), type="password", key="account_password")
    if st.form_submit_button(t("account_add"), type="primary"):
        try:
            add_user(s, name.strip(), role, password=password, by=user(), regions=_codes(regions))
            st.session_state["accounts_done"] = t("account_added", name=name.strip(), role=role)
            st.rerun()
        except ClusterstatsError as exc:
            st.error(str(exc))
with right, st.form("account_change"):
    st.markdown(f"**{t('account_change')}**")
    names = [u.username for u in accounts]
    who = st.selectbox(t("user_name"), names, key="account_change_name")
    current = next((u for u in accounts if u.username == who), None)
    new_role = st.selectbox(t("role"), ROLES, key="account_change_role", format_func=roles.__getitem__,
                            index=ROLES.index(current.role) if current else 0)
    new_regions = st.text_input(t("account_regions"), key="account_change_regions", help=t("account_regions_help"),
                                value=", ".join(current.regions) if current else "")
    if st.form_submit_button(t("account_change")) and current is not None:
        try:
            if new_role != current.role:
                set_role(s, who, new_role, by=user())
            if tuple(_codes(new_regions)) != current.regions:
                set_regions(s, who, _codes(new_regions), by=user())
            st.session_state["accounts_done"] = t("account_changed", name=who)
            st.rerun()
        except ClusterstatsError as exc:
            st.error(str(exc))
