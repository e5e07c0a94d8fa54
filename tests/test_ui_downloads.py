"""Every download button of the app builds its file when clicked and does not rerun the page.

Streamlit 1.67 clears the messages queued for the browser when a script run starts (``ForwardMsgQueue.clear``
keeps only lifecycle messages), and a download button reruns the page when clicked unless ``on_click="ignore"``.
A deferred download's reply (the file's address) could then be dropped by the run its own click started, and the
button stayed disabled until the request timed out (three minutes) with nothing downloaded: seen once in a
clean-clone run of tests/test_browser_app.py. The check reads every ``st.download_button`` call of ``ui/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "ui"


def _download_buttons() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "download_button":
                found.append((str(path.relative_to(UI)), node.lineno, node))
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def test_every_download_button_is_deferred_and_does_not_rerun_the_page():
    buttons = _download_buttons()
    # components (Excel, HTML report), charts (PNG), views/upload (template), views/ranking (CSV), components_upload,
    # components_publishing (a revision's figures, CSV; the bulletin, PDF or Word: one call in a loop)
    assert len(buttons) == 8
    for where, line, call in buttons:
        on_click = _keyword(call, "on_click")
        assert isinstance(on_click, ast.Constant) and on_click.value == "ignore", f"ui/{where}:{line}"
        data = call.args[1] if len(call.args) > 1 else _keyword(call, "data")
        assert isinstance(data, ast.Lambda | ast.Name), f"ui/{where}:{line}: the file is built when clicked"
