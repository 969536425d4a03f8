"""Content of the built-in plugins: JSON documents validated against JSON Schemas."""

from pathlib import Path

CONTENT_ROOT = Path(__file__).resolve().parent
