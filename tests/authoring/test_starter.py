"""``decision-aid new DIR``: a rule set to start from that every tool passes, whose files
name schemas that exist and that they meet, and that never overwrites anything."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest

from decision_aid.authoring.schema import schema_line
from decision_aid.authoring.starter import TEMPLATE
from decision_aid.cli import main
from decision_aid.domain.yamlsource import read_yaml

ROOT = Path(__file__).parent.parent.parent
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


@pytest.fixture
def starter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "next"
    assert main(["new", str(folder)]) == 0
    capsys.readouterr()
    return folder


def test_every_tool_passes_the_new_rule_set(
    starter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = ["--rules", str(starter)]
    assert main(["check", *rules]) == 0
    assert main(["test", *rules]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "PASS: 9/9"
    assert main(["coverage", *rules, "--fail-under", "100", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["unused_options"] == []
    assert main(["lint", *rules, "--strict"]) == 0
    assert capsys.readouterr().out == "0 warning(s)\n"
    assert main(["verify", *rules]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1].endswith("properties proved over every answer set")
    )
    example = starter / "examples" / "first.yaml"
    assert main(["evaluate", str(example), *rules, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "worth_discussing"


def test_the_new_rule_set_has_each_part_an_author_writes(starter: Path) -> None:
    rules = read_yaml(starter / "rules" / "example.yaml")[0].data["rules"]
    assert any(r.get("absolute") for r in rules)
    assert any("outcome" not in r for r in rules)  # a note
    assert any("only_for" in r for r in rules)
    assert any("advice_when" in r for r in rules)
    assert len({r["outcome"] for r in rules if "outcome" in r}) == 4  # every level
    for part in ("properties.yaml", "sheet.yaml", "tests/cases.yaml", "examples/first.yaml"):
        assert (starter / part).is_file()


def test_each_file_names_a_schema_that_exists_and_that_it_meets(starter: Path) -> None:
    named = 0
    for path in sorted(starter.rglob("*.yaml")):
        relative = path.relative_to(starter).as_posix()
        text = path.read_text(encoding="utf-8")
        assert text.partition("\n")[0] == schema_line(relative), relative
        found = SCHEMA_LINE.match(text)
        assert found is not None
        schema = json.loads((path.parent / found.group(1)).read_text(encoding="utf-8"))
        data = json.loads(json.dumps(read_yaml(path)[0].data, default=str))
        jsonschema.validate(data, schema)
        named += 1
    assert named == 8


def test_it_is_dated_today_and_due_for_review_in_six_months(starter: Path) -> None:
    info = read_yaml(starter / "ruleset.yaml")[0].data
    today = date.today()
    assert (info["date"], info["review_by"]) == (
        today.isoformat(),
        (today + timedelta(days=182)).isoformat(),
    )


def test_it_never_writes_into_a_folder_that_holds_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text("mine\n")
    assert main(["new", str(folder)]) == 1
    assert capsys.readouterr().err == (
        f"error: {folder}: not an empty folder; nothing was written\n"
    )
    assert [p.name for p in folder.iterdir()] == ["ruleset.yaml"]
    assert (folder / "ruleset.yaml").read_text() == "mine\n"
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert main(["new", str(afile)]) == 1
    assert afile.read_text() == "x"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["new", str(empty)]) == 0


def test_the_template_ships_in_the_package() -> None:
    """Every template file matches a package-data pattern, so the wheel carries it (the
    installer's bundle names the folder itself, and its smoke test looks for it)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["decision_aid"]
    package = ROOT / "decision_aid"
    files = [p for p in TEMPLATE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files
    for path in files:
        relative = path.relative_to(package)
        assert any(relative.match(pattern) for pattern in patterns), relative
