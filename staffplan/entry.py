"""The ``staffplan`` command's entry point: Ctrl-C or SIGTERM while the command line (typer,
Rich and the commands) is still being imported ends the command like one later on (exit
130, a one-line message, no traceback). ``import staffplan`` loads nothing more (its API is
imported on first use), so this module runs a few milliseconds after Python starts."""

from __future__ import annotations

import signal
import sys


def _stop(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        from staffplan.cli import main as run
    except KeyboardInterrupt:
        from staffplan.i18n import set_lang, t  # a small module: the messages only

        args = sys.argv[1:]
        given = args[args.index("--lang") + 1:][:1] if "--lang" in args else []
        set_lang(given[0] if given else None)  # else STAFFPLAN_LANG or the locale
        sys.stderr.write(t("g_interrupted") + "\n")
        sys.exit(130)
    run()
