"""A reviewer's keys through the command line: made 0600 and passphrase-protected, the
passphrase never on the command line, exported, trusted, and used to approve."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.governance.keys import KeyFileError, list_keys, load_private_key
from tests.conftest import BUNDLED
from tests.governance.approved import claim_approved, trust_dirs

PASSPHRASE = b"correct horse battery"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_bytes(PASSPHRASE + b"\n")
    return path


def test_a_new_key_is_private_and_locked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    passphrase_file: Path,
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    code, out, _ = cli(capsys, "keys", "new", "--passphrase-file", str(passphrase_file))
    assert code == 0
    (pair,) = list_keys()
    assert pair.key_id in out
    assert stat.S_IMODE(pair.private.stat().st_mode) == 0o600
    assert stat.S_IMODE(pair.private.parent.stat().st_mode) == 0o700
    assert b"ENCRYPTED PRIVATE KEY" in pair.private.read_bytes()
    assert load_private_key(pair.private, PASSPHRASE) is not None
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(pair.private, b"not the passphrase")


def test_a_short_passphrase_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    short = tmp_path / "short"
    short.write_text("abc\n")
    code, _, err = cli(capsys, "keys", "new", "--passphrase-file", str(short))
    assert code == 1
    assert "at least 8 characters" in err
    assert list_keys() == []


def test_the_passphrase_is_never_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (
        ["keys", "new"],
        ["approve", "x", "--reviewer", "A", "--role", "B", "--key", "k"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--passphrase", "secret"])
        assert exit_.value.code == 2
    assert "unrecognized arguments: --passphrase" in capsys.readouterr().err


def test_without_a_terminal_the_passphrase_must_come_from_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    code, _, err = cli(capsys, "keys", "new")  # pytest's stdin is no terminal
    assert code == 1
    assert "give --passphrase-file FILE" in err


def test_new_export_trust_approve_check_end_to_end(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    passphrase_file: Path,
) -> None:
    _, user = trust_dirs(tmp_path, monkeypatch)
    folder = tmp_path / "rules"
    shutil.copytree(BUNDLED, folder)
    claim_approved(folder)
    cli(capsys, "keys", "new", "--passphrase-file", str(passphrase_file))
    (pair,) = list_keys()
    approve = [
        "approve", str(folder), "--reviewer", "Dr Ann Smith", "--role", "Pain consultant",
        "--key", pair.key_id[:6], "--passphrase-file", str(passphrase_file),
    ]  # fmt: skip
    code, out, err = cli(capsys, *approve)
    assert code == 0
    assert "approval: NOT APPROVED: signed with a key this installation does not trust" in out
    assert "keys trust" in err
    exported = tmp_path / "reviewer.pem"
    assert cli(capsys, "keys", "export", pair.key_id, "-o", str(exported))[0] == 0
    code, out, _ = cli(capsys, "keys", "trust", str(exported))
    assert code == 0
    assert (user / f"{pair.key_id}.pem").is_file()
    code, out, _ = cli(capsys, "keys", "list")
    held, trusted = out.split("trusted keys")
    assert f"  {pair.key_id}  {pair.private}" in held
    assert f"  {pair.key_id}  {user / pair.key_id}.pem" in trusted
    code, out, _ = cli(capsys, "check", str(folder))
    assert code == 0
    assert out.startswith("approval: Approved by Dr Ann Smith (Pain consultant) on ")


def test_a_wrong_passphrase_approves_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    passphrase_file: Path,
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    folder = tmp_path / "rules"
    shutil.copytree(BUNDLED, folder)
    claim_approved(folder)
    cli(capsys, "keys", "new", "--passphrase-file", str(passphrase_file))
    (pair,) = list_keys()
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    code, _, err = cli(
        capsys, "approve", str(folder), "--reviewer", "A", "--role", "B",
        "--key", pair.key_id, "--passphrase-file", str(wrong),
    )  # fmt: skip
    assert code == 1
    assert "wrong passphrase" in err
    assert not (folder / "approval.yaml").exists()


def test_a_file_that_is_no_public_key_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, user = trust_dirs(tmp_path, monkeypatch)
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n")
    code, _, err = cli(capsys, "keys", "trust", str(bogus))
    assert code == 1
    assert "not a PEM public key" in err
    assert not user.exists() or list(user.iterdir()) == []
