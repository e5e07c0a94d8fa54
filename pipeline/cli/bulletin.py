"""``clusterstats bulletin``: a release as a statistical bulletin (Word or PDF, Chinese or English), and the
built-in templates written out for a bureau to edit."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.auth import acting_user
from pipeline.cli.common import settings_of
from pipeline.core.files import write_atomic


def _write(target: Path, data: bytes) -> None:
    write_atomic(target, lambda tmp: tmp.write_bytes(data), what=str(target), pause=None)


@click.command("bulletin")
@click.option("--release", "number", type=int, help="The release's number (`clusterstats release list`).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: bulletin-release-N-LANG.FORMAT in the current folder).")
@click.option("--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the built-in templates and wording into this folder (to edit, then copy into "
                   "<data dir>/bulletin/) instead of making a bulletin.")
@click.pass_context
def bulletin(ctx: click.Context, number: int | None, fmt: str, lang: str, out: Path | None,
             templates: Path | None) -> None:
    """A release as a statistical bulletin: headline figures with the change on the previous year, the ranking
    with rank intervals, a section per city, figures, notes on method, confidentiality and revision, sources.

    \b
    Examples:
      clusterstats bulletin --release 2 --format pdf --lang zh
      clusterstats bulletin --release 2 --format docx --lang en --out bulletin-2-en.docx
      clusterstats bulletin --templates my-templates      # then edit and copy into <data dir>/bulletin/

    Anyone may have a published release's bulletin; an embargoed or draft release's is for staff and says so on
    every page. Fonts, issuer line and templates: <data dir>/bulletin/bulletin.toml and the files beside it.
    """
    from pipeline.publishing.bulletin import BulletinError, file_name, render

    settings = settings_of(ctx)
    if templates is not None:
        _write_templates(settings, templates)
        return
    if number is None:
        raise click.UsageError("Give --release N (or --templates DIR to write the templates out).")
    user = acting_user(ctx, "viewer", "read releases")
    try:
        data = render(settings, number, fmt=fmt, lang=lang, staff=user.staff)
    except BulletinError as exc:
        raise click.ClickException(str(exc)) from None
    target = out or Path(file_name(number, fmt, lang))
    _write(target, data)
    click.echo(f"Wrote {target} ({len(data):,} bytes): release {number}'s bulletin, {fmt}, {lang}.")


def _write_templates(settings: object, folder: Path) -> None:
    import shutil

    from pipeline.publishing.bulletin.content import TEMPLATES, Look
    from pipeline.publishing.bulletin.word import default_template

    folder.mkdir(parents=True, exist_ok=True)
    look = Look.of(settings)  # type: ignore[arg-type]
    written = []
    for source in sorted(TEMPLATES.iterdir()):
        if source.suffix in (".typ", ".toml"):
            shutil.copyfile(source, folder / source.name)
            written.append(source.name)
    for lang in ("zh", "en"):
        name = f"bulletin-{lang}.docx"
        _write(folder / name, default_template(lang, look))
        written.append(name)
    (folder / "bulletin.toml").write_text(
        '# The bureau\'s bulletin settings. Copy this folder\'s files into <data dir>/bulletin/ and edit them.\n'
        'issuer = ""                      # e.g. "辽宁省统计局", printed under the title\n\n'
        "[fonts]\n"
        f'title = "{look.title_font}"     # e.g. "FZXiaoBiaoSong-B05S" (方正小标宋)\n'
        f'heading = "{look.heading_font}"   # e.g. "SimHei" (黑体)\n'
        f'body = "{look.body_font}"      # e.g. "FangSong" (仿宋)\n'
        "paths = []                        # folders holding the font files\n", encoding="utf-8")
    written.append("bulletin.toml")
    click.echo(f"Wrote {', '.join(written)} to {folder}.")


def register(cli: click.Group) -> None:
    cli.add_command(bulletin)


__all__ = ["bulletin", "register"]
