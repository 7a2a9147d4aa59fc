"""The ``newscrawl`` command line: ``main`` dispatches to one module per subcommand."""

from newscrawl.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
