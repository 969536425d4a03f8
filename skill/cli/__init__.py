"""The ``stride-coach`` command: one module per subcommand."""
