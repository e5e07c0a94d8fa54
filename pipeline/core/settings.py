"""Settings from one place: the data directory and the paths derived from it.

Every entry point (CLI, Streamlit app, tests) builds one :class:`Settings` and passes it down; nothing reads a
global. The data directory comes from ``--data-dir``, else ``CLUSTERSTATS_DATA_DIR``, else ``./data``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_DATA_DIR = "CLUSTERSTATS_DATA_DIR"
DEFAULT_DATA_DIR = "data"


@dataclass(frozen=True)
class Settings:
    """Where clusterstats keeps its stores. All paths derive from ``data_dir``."""

    data_dir: Path
    # Years accepted in uploads (inclusive). Records outside are rejected with a fix.
    min_year: int = 1949
    max_year: int = 2100
    # Bureau time zone, used for schedules and for showing times.
    timezone: str = "Asia/Shanghai"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike[str] | None = None) -> Settings:
        """Settings from an explicit directory, else the environment, else ``./data``."""
        chosen = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR
        return cls(data_dir=Path(chosen).expanduser().resolve())

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def ops_path(self) -> Path:
        return self.data_dir / "ops.sqlite"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def next_warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.next.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "warehouse.lock"

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo-files"

    def ensure_dirs(self) -> None:
        """Create the data directory and the landing zone if they are missing, readable by their owner alone
        (``clusterstats status`` and ``serve`` warn about a looser one: :func:`pipeline.core.files.loose_files`)."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.landing_dir.mkdir(mode=0o700, exist_ok=True)


def os_user() -> str:
    """The login name of the operating-system user running this process ("unknown" when it has none): who an
    upload or a build is recorded under when no account says otherwise."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
