"""Privacy: what the app writes is readable by the user alone, and it never uses the network."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from decision_aid.domain import evaluate, load_rule_set, parse_answers
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.gui import actions, files
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.autosave import Autosave
from decision_aid.storage.consultation_file import read_consultation, write_consultation
from tests.conftest import BUNDLED, MINI

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _consultation() -> Consultation:
    rule_set = load_rule_set(MINI)
    return Consultation.new(rule_set, now=NOW).with_answer("diagnosis", "a", now=NOW)


def test_autosave_files_are_0600_and_the_folders_it_creates_0700(
    umask: int, tmp_path: Path
) -> None:
    data = tmp_path / "fresh" / "decision-aid"
    path = Autosave(data).save(_consultation())
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700, "the autosave folder"
    assert _mode(data) == 0o700, "the data folder the app created for itself"


def test_a_loose_autosave_folder_is_made_0700_again(umask: int, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "autosave"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    Autosave(tmp_path / "data").save(_consultation())
    assert _mode(folder) == 0o700


def test_saved_consultation_and_exported_files_are_0600_even_over_a_readable_file(
    umask: int, tmp_path: Path
) -> None:
    chosen = tmp_path / "clinic"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    target = chosen / "patient.json"
    target.write_text("{}")
    target.chmod(0o644)
    write_consultation(target, _consultation())
    assert _mode(target) == 0o600
    sheet = chosen / "sheet.pdf"
    atomic_write(sheet, b"%PDF-1.4")
    assert _mode(sheet) == 0o600
    assert _mode(chosen) == 0o755, "a folder the user chose is left as it is"
    assert read_consultation(target) == _consultation().model_copy(
        update={"id": read_consultation(target).id}
    )


# -- no network ------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to reach the network is recorded and refused."""
    attempts: list[str] = []

    def refuse(what: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"network use in a test: {what}")

        return refused

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    # The guard works: a deliberate connection is refused and recorded.
    with pytest.raises(OSError, match="network use in a test"):
        socket.create_connection(("example.org", 80), timeout=1)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(OSError, match="network use in a test"),
    ):
        sock.connect(("192.0.2.1", 80))
    assert len(attempts) == 2
    attempts.clear()
    return attempts


def test_a_whole_consultation_opens_no_network_connection(
    no_network: list[str], private_data_dir: Path
) -> None:
    from decision_aid.sheet import render

    rule_set = load_rule_set(BUNDLED)
    raw = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    answers = parse_answers(rule_set.questionnaire, raw)
    assessment = evaluate(rule_set, answers, rule_set.default_settings())
    pdf = render(assessment, answers, rule_set)
    assert pdf.startswith(b"%PDF")
    consultation = Consultation.new(rule_set, now=NOW)
    for key, value in raw.items():
        consultation = consultation.with_answer(key, value, now=NOW)
    autosave = Autosave(private_data_dir)
    path = autosave.save(consultation)
    write_consultation(private_data_dir / "saved.json", consultation)
    assert read_consultation(path) == consultation
    autosave.close()
    assert autosave.pending()[0][0].consultation == consultation
    assert no_network == []


def test_the_consultation_window_opens_no_network_connection(
    no_network: list[str], make_window: Callable[..., Any], tmp_path: Path
) -> None:
    window = make_window(BUNDLED)
    raw = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    for key, value in raw.items():
        window.model.set_answer(key, value)
    assert window.status.save_label.text().startswith("Kept on this computer")
    assert actions.sheet_job(window.model, window.approval)().startswith(b"%PDF")
    assert files.write(window, tmp_path / "consultation.json")
    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules, "Qt's own network stack is never loaded"
