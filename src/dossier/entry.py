"""The console script's entry point: set the start-up rules before anything heavy loads.

A Ctrl-C while the CLI's modules are still being imported would surface as a traceback
from whichever half-imported module it hit. Nothing is open yet then, so until the
command itself starts, Ctrl-C simply ends the run with one line and exit code 130. The
command then takes Ctrl-C over (``cli.exits.interruptible``): from there it rolls the
transaction back and says what was saved.
"""

import _signal  # type: ignore[import-not-found]  # C module; `signal` builds enums first
import os


def _interrupted_at_start(signum: int, frame: object) -> None:
    try:
        os.write(2, b"dossier: Interrupted, nothing saved\n")
    finally:
        os._exit(130)


# At once, not in main(): the window before it, where Python's own KeyboardInterrupt
# would print a traceback, is as short as it can be made (no `from __future__` import,
# which loads a module, comes first). Only the console script imports this module.
_signal.signal(_signal.SIGINT, _interrupted_at_start)


def main() -> None:
    from .cli import main as run

    try:
        run()
    except SystemExit:
        # The command has finished and answered: a Ctrl-C from here on has nothing left
        # to interrupt, and must not print a traceback over the answer.
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        from .cli.exits import PIPE_CLOSED, end_by_sigpipe

        if PIPE_CLOSED:
            end_by_sigpipe()
        raise


if __name__ == "__main__":
    main()
