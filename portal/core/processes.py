"""Helper processes (the render pools' and the local job pool's workers) end with the process that started them.

A web worker that gunicorn kills for taking too long runs no clean-up: its helpers would finish laying out a
print for nobody, then wait for work forever, each holding about 100 MB. A thread in each helper checks its
parent every few seconds and ends the helper once the parent is gone (its parent id then changes).
"""

from __future__ import annotations

import os
import threading
import time

#: Seconds between two looks at the parent.
EVERY = 2.0


def exit_with(parent: int, every: float = EVERY) -> None:
    """In a helper process started by ``parent``: exit as soon as ``parent`` is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)  # the parent is gone: nothing to hand a result to, no clean-up owed to anyone

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
