"""Benchmarks of the consultation window, as ratios against same-run baselines.

    .venv/bin/python -m bench.bench_gui

Every Qt run is a child process with ``QT_QPA_PLATFORM=offscreen`` (unless set).

1. Time to the first painted window, whole process, against a bare QApplication +
   QMainWindow that also quits on its first paint (target: at most 1.5x). Each quits
   from the window's first Paint event: ``QTimer.singleShot(0, app.quit)`` would quit
   before anything is drawn.
2. The same until the first section and the outcome panel are shown, i.e. the rule
   set is loaded and the window is ready to answer (target: at most 2x).
3. Time from an answer change to the updated outcome panel, in process (target:
   under half a 60 Hz frame, 8 ms median, so the panel keeps up with typing), without
   the autosave's disk flush; the figure with the flush is given alongside.
4. An answer change in the consultation model when the consultation carries 300,000
   answers to questions no longer asked, against a clean one (target: at most 5x; the
   model reconciles when a consultation is shown, not on every edit). The autosave is
   left out: it writes the whole file, stale answers included.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import Row, format_table
from bench.timing import ms

PANEL_TARGET = 0.008
ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
class Quit(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            app.quit()
        return False
quit_on_paint = Quit()
window.installEventFilter(quit_on_paint)
window.show()
app.exec()
"""

APP = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from decision_aid.gui.main_window import MainWindow
READY = {ready}
from decision_aid.paths import bundled_rules_dir
from decision_aid.storage.autosave import Autosave
app = QApplication(sys.argv)
window = MainWindow(bundled_rules_dir(), Autosave(), defer_load=True)  # as decision-aid starts
class Quit(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and (window.model is not None) == READY:
            os._exit(0)
        return False
quit_on_paint = Quit()
window.installEventFilter(quit_on_paint)
window.show()
app.exec()
"""


def _environment() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["DECISION_AID_DATA_DIR"] = tempfile.mkdtemp()
    # An installed app has its bytecode: the dropped warm-up round writes it, so the
    # rounds timed start as a user's app does, not by compiling every module afresh.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def first_window(rounds: int) -> tuple[float, float, float]:
    """Median seconds to the first paint: bare window, decision-aid, decision-aid ready."""
    env = _environment()
    times: dict[str, list[float]] = {"bare": [], "app": [], "ready": []}
    programs = (("bare", BARE), ("app", APP.replace("{ready}", "False")),
                ("ready", APP.replace("{ready}", "True")))  # fmt: skip
    for _ in range(rounds + 1):  # the first round warms the page cache and is dropped
        for name, code in programs:
            start = time.perf_counter()
            command = [sys.executable, "-c", code]
            done = subprocess.run(command, env=env, capture_output=True, check=False)
            if done.returncode:  # Qt's chatter on stderr is shown only when a run fails
                raise RuntimeError(f"{name} failed:\n{done.stderr.decode(errors='replace')}")
            times[name].append(time.perf_counter() - start)
    bare, app, ready = (statistics.median(times[k][1:]) for k in ("bare", "app", "ready"))
    return bare, app, ready


def answer_to_panel(rounds: int) -> None:
    """Print the median seconds from an answer change to the updated panel, as JSON."""
    os.environ["DECISION_AID_DATA_DIR"] = tempfile.mkdtemp()
    from PySide6.QtWidgets import QApplication

    from decision_aid.domain.yamlsource import read_yaml
    from decision_aid.gui.main_window import MainWindow
    from decision_aid.paths import bundled_rules_dir
    from decision_aid.storage.autosave import Autosave

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(bundled_rules_dir(), Autosave(Path(tempfile.mkdtemp())))
    window.show()
    app.processEvents()
    model = window.model
    assert model is not None
    answers = read_yaml(bundled_rules_dir() / "examples" / "crps-asra.yaml")[0].data
    for key, value in answers.items():
        model.set_answer(key, value)
    app.processEvents()

    def measure() -> float:
        samples = []
        for i in range(rounds):
            value = "controlled" if i % 2 else "poorly_controlled"
            start = time.perf_counter()
            model.set_answer("cardiovascular", value)
            app.processEvents()
            samples.append(time.perf_counter() - start)
            assert ("Not suitable" in window.view.outcome.badge.text()) == (
                value == "poorly_controlled"
            )
        return statistics.median(samples)

    with_save = measure()
    model.save_now = lambda: None  # type: ignore[method-assign]
    without_save = measure()
    print(json.dumps({"with_save": with_save, "without_save": without_save}), flush=True)
    os._exit(0)  # skip the close prompt of an unsaved consultation


def panel_update(rounds: int) -> tuple[float, float]:
    """(without the autosave's flush, with it), median seconds, from a child process."""
    command = [sys.executable, "-m", "bench.bench_gui", "--panel", str(rounds)]
    done = subprocess.run(
        command, env=_environment(), cwd=ROOT, check=True, capture_output=True, text=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["without_save"], found["with_save"]


def stale_edit(rounds: int, stale: int = 300_000) -> tuple[float, float]:
    """Median seconds per answer change: (clean consultation, ``stale`` stale answers)."""
    from datetime import UTC, datetime

    from decision_aid.domain import load_rule_set
    from decision_aid.domain.consultation import Consultation
    from decision_aid.gui.state import ConsultationModel
    from decision_aid.paths import bundled_rules_dir
    from decision_aid.storage.autosave import Autosave

    class Unsaved(Autosave):
        def save(self, consultation: Consultation) -> Path:
            return self.folder / "unsaved.json"  # the disk is not what is timed

    rule_set = load_rule_set(bundled_rules_dir())
    clean = Consultation.new(rule_set, now=datetime.now(UTC))
    old = clean.model_copy(update={"answers": {f"old_{i}": "yes" for i in range(stale)}})
    models = [
        ConsultationModel(rule_set, c, Unsaved(Path(tempfile.mkdtemp()))) for c in (clean, old)
    ]
    samples: list[list[float]] = [[], []]
    for i in range(rounds):  # interleaved, so both see the same machine
        for model, times in zip(models, samples, strict=True):
            start = time.perf_counter()
            model.set_answer("age", 40 + i % 2)
            times.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def run(quick: bool = False) -> list[Row]:
    bare, app, ready = first_window(3 if quick else 9)
    without_save, with_save = panel_update(10 if quick else 40)
    clean, stale = stale_edit(20 if quick else 100)
    return [
        Row(
            "first painted window (quit on the first Paint event)",
            "bare QApplication + empty QMainWindow",
            f"{ms(app)} vs {ms(bare)}",
            app / bare,
            "≤ 1.5×",
            app <= 1.5 * bare,
        ),
        Row(
            "interactive: first section and outcome panel shown",
            "bare QApplication + empty QMainWindow",
            f"{ms(ready)} vs {ms(bare)}",
            ready / bare,
            "≤ 2×",
            ready <= 2 * bare,
        ),
        Row(
            "answer change → outcome panel updated",
            "—",
            f"{ms(without_save)} median (with the autosave's fsync: {ms(with_save)})",
            None,
            "< 8 ms median",
            without_save < PANEL_TARGET,
        ),
        Row(
            "answer change, 300,000 stale answers (model, no autosave)",
            "the same change on a clean consultation",
            f"{ms(stale)} vs {ms(clean)}",
            stale / clean,
            "≤ 5×",
            stale <= 5 * clean,
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--panel"]:
        answer_to_panel(int(sys.argv[2]))
    else:
        print(format_table(run()))
