"""The built-in plugins. Each is registered through the ``stride_coach`` entry-point group, exactly
like a third-party plugin, and uses only the hooks in ``skill/hookspecs.py``."""
