"""clusterstats web app: `clusterstats serve` runs this file with Streamlit.

Pages live in ``ui/views/`` (one file per page); this file sets the page up, the language switch and the
navigation.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from pipeline.access.users import LOCAL
from ui.access import require_login, user
from ui.i18n import LANGS, t

VIEWS = Path(__file__).parent / "views"
ICON = Path(__file__).parent / "assets" / "icon.svg"  # served by the app itself: a ":material/...:" page icon is
# fetched from fonts.gstatic.com, which a bureau's offline intranet cannot reach
started = time.perf_counter()

st.set_page_config(page_title="clusterstats", page_icon=str(ICON), layout="wide")
st.markdown(  # tighter page margins, so the scorecards fit a 1366x768 screen
    "<style>.block-container{padding-top:1.6rem;padding-bottom:2rem;max-width:1500px}"
    "h1{font-size:2rem!important;padding-bottom:.4rem!important}"
    "section[data-testid='stSidebar']{width:230px!important;min-width:230px!important}"
    "[data-testid='stMetricValue']{font-size:1.45rem}</style>",
    unsafe_allow_html=True,
)

if "lang" not in st.session_state and st.query_params.get("lang") in LANGS:  # a link that says its language
    st.session_state["lang"] = st.query_params["lang"]
with st.sidebar:
    st.radio("Language / 语言", options=list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)
require_login()  # nothing below is shown to anyone not logged in when the data directory has accounts


def _page(file: str, key: str, icon: str, url: str | None = None, default: bool = False) -> st.Page:
    return st.Page(VIEWS / file, title=t(key), icon=icon, url_path=url, default=default)


pages = {
    t("nav_section_analysis"): [
        _page("overview.py", "nav_overview", ":material/dashboard:", default=True),
        _page("ranking.py", "nav_ranking", ":material/leaderboard:", "ranking"),
        _page("scorecard.py", "nav_scorecard", ":material/assignment:", "scorecard"),
        _page("region.py", "nav_region", ":material/location_city:", "region"),
        _page("indices.py", "nav_indices", ":material/grid_on:", "indices"),
        _page("compare.py", "nav_compare", ":material/compare_arrows:", "compare"),
    ],
    t("nav_section_publishing"): [
        _page("releases.py", "nav_releases", ":material/event:", "releases"),
        *([_page("review.py", "nav_review", ":material/rule:", "review")] if user().can("submitter") else []),
    ],
    t("nav_section_data"): [
        _page("upload.py", "nav_upload", ":material/upload_file:", "upload"),
        _page("data_status.py", "nav_data", ":material/dataset:", "data"),
        _page("methodology.py", "nav_methodology", ":material/account_tree:", "methodology"),
        _page("jobs.py", "nav_jobs", ":material/schedule:", "jobs"),
        *([_page("accounts.py", "nav_accounts", ":material/group:", "accounts")] if user().can("admin") and
          user() is not LOCAL else []),
    ],
}
navigation = st.navigation(pages)
if user() is LOCAL:
    with st.sidebar:
        st.caption(t("local_mode"))
navigation.run()
st.session_state["_render_seconds"] = time.perf_counter() - started  # read by the tests that time the pages
