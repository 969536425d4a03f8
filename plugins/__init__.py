"""The built-in plugins. Each is registered through the ``stride_coach`` entry-point group, exactly
like a third-party plugin, and uses only the hooks in ``skill/hookspecs.py``."""

from importlib.resources import files
from pathlib import Path

# The built-ins' content ships as the top-level ``content`` package beside them.
CONTENT_ROOT = Path(str(files("content")))
