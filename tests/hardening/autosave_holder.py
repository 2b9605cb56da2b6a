"""A second instance for the two-process tests: it holds one live consultation.

``python -m tests.hardening.autosave_holder DATA_DIR`` autosaves a consultation, leaves
an old-looking temporary file in its slot (as a save in flight would), prints
``holding PATH``, and keeps the consultation open until its stdin closes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from decision_aid.storage.autosave import STALE_TEMP_SECONDS, Autosave
from tests.hardening.autosave_sweep import consultation


def main() -> None:
    autosave = Autosave(Path(sys.argv[1]))
    live = consultation("live", notes="typed in the first window")
    path = autosave.save(live)
    temp = path.with_name(f".{path.name}.inflight.tmp")
    temp.write_text("half")
    old = time.time() - 2 * STALE_TEMP_SECONDS
    os.utime(temp, (old, old))
    print(f"holding {path}", flush=True)
    sys.stdin.readline()
    autosave.save(live.with_notes("still mine", now=live.updated))
    print("saved", flush=True)


if __name__ == "__main__":
    main()
