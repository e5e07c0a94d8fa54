"""clusterstats web app: `clusterstats serve` runs this file with Streamlit.

Pages live in ``ui/views/``; this file sets the page up, the language switch and the navigation.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import LANGS, t

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="clusterstats", page_icon=":material/hub:", layout="wide")

with st.sidebar:
    st.radio(
        "Language / 语言", options=list(LANGS), format_func=LANGS.get, key="lang", horizontal=True,
    )

pages = [
    st.Page(VIEWS / "overview.py", title=t("nav_overview"), icon=":material/dashboard:", default=True),
    st.Page(VIEWS / "scorecard.py", title=t("nav_scorecard"), icon=":material/assignment:", url_path="scorecard"),
    st.Page(VIEWS / "upload.py", title=t("nav_upload"), icon=":material/upload_file:", url_path="upload"),
]
st.navigation(pages).run()
