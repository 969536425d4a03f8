"""Helpers shared by the subcommands."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The source checkout (where ``interaction_models/`` lives), or the current folder."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def models_dir() -> Path:
    return Path(os.environ.get("STRIDE_COACH_MODELS_DIR") or project_root() / "interaction_models")
