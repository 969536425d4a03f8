"""Templates for ``stride-coach new-plugin`` (``*.tmpl``, filled in with :class:`string.Template`).

They ship as package data so the command works from an installed ``stride-coach``; which template
becomes which file is decided in :mod:`skill.cli.new_plugin`.
"""
