"""The bulletin as PDF, typeset by Typst (typst-py bundles the compiler: no TeX, no browser).

The document and its chart images are written to a temporary folder beside a copy of the template
(``bulletin-{lang}.typ``, the bureau's own when its bulletin folder has one); Typst reads only that folder. Fonts
are given by path (Debian's fonts-noto-cjk by default, the bureau's folders first) and the system's are ignored, so
a bulletin looks the same on every machine. The PDF is PDF/A-2b (fonts embedded, as archives require) and carries
the release's publication time as its creation date, so rendering a release twice gives the same bytes.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.core.errors import ClusterstatsError
from pipeline.publishing.bulletin.content import Look


def render_pdf(doc: dict[str, Any], images: dict[str, bytes], look: Look, *, moment: datetime) -> bytes:
    """``doc`` (from :func:`~pipeline.publishing.bulletin.gather.document`) typeset as a PDF/A-2b file."""
    import typst

    with tempfile.TemporaryDirectory(prefix="clusterstats-bulletin-") as tmp:
        root = Path(tmp)
        shutil.copyfile(look.template(f"bulletin-{doc['lang']}.typ"), root / "bulletin.typ")
        (root / "bulletin.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        for name, data in images.items():
            (root / name).write_bytes(data)
        fonts = [p for p in look.font_paths if Path(p).is_dir()]
        try:
            return bytes(typst.compile(str(root / "bulletin.typ"), root=str(root), font_paths=fonts,
                                       ignore_system_fonts=True, pdf_standards=["a-2b"],
                                       timestamp=int(moment.timestamp())))
        except typst.TypstError as exc:
            if "could not be displayed with font" not in str(exc):
                raise
            wanted = ", ".join(dict.fromkeys((look.title_font, look.heading_font, look.body_font)))
            raise FontsMissing(
                f"The bulletin's fonts ({wanted}) were not found in {', '.join(look.font_paths)}: install Debian's "
                "fonts-noto-cjk (apt-get install fonts-noto-cjk), or put the bureau's fonts in a folder and name "
                f"it in {look.folder / 'bulletin.toml'} ([fonts] paths = [...]). Typst said: {exc}") from None


class FontsMissing(ClusterstatsError):
    """The bulletin's fonts are not on this machine: install fonts-noto-cjk or name the bureau's font folder."""


__all__ = ["FontsMissing", "render_pdf"]
