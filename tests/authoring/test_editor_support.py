"""The editor support an author gets: yaml-language-server, driven over LSP as an editor
drives it, reads a rule file's schema line and knows the rule set's own ids.

The server is installed by ``tasks.py test`` (npm into ``.node/``), or here when absent;
the test is skipped, saying why, only when npm cannot install it.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import IO, Any

import pytest

from tasks import install_language_server, language_server
from tests.conftest import BUNDLED

TIMEOUT = 15.0


class Client:
    """A minimal LSP client over stdio (JSON-RPC with Content-Length headers)."""

    def __init__(self, server: Path) -> None:
        self.process = subprocess.Popen(
            [str(server), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.inbox: Queue[dict[str, Any]] = Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while header := stream.readline():
            length = 0
            while header.strip():
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                header = stream.readline()
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        return reply.get("result")

    def wait(self, wanted: Any) -> dict[str, Any]:
        """The next message ``wanted`` accepts, answering the server's own requests."""
        deadline = time.monotonic() + TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=left)
            except Empty:
                break
            if "method" in message and "id" in message:  # the server asks the editor
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [SETTINGS.get(i.get("section")) for i in message["params"]["items"]]
                self.send({"id": message["id"], "result": result})
            if wanted(message):
                return message
        raise AssertionError("the language server did not answer in time")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            assert stream is not None
            stream.close()


SETTINGS: dict[str | None, Any] = {
    "yaml": {
        "validate": True,
        "completion": True,
        "hover": False,
        "schemaStore": {"enable": False},
    },
}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    if (reason := install_language_server()) is not None:
        pytest.skip(f"yaml-language-server is not available: {reason}")
    client = Client(language_server())
    root = BUNDLED.as_uri()
    client.request(
        "initialize",
        {"processId": None, "rootUri": root, "capabilities": {}, "workspaceFolders": None},
    )
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    yield client
    client.close()


def opened(client: Client, path: Path, text: str) -> list[dict[str, Any]]:
    """Open ``text`` as the file at ``path``; the diagnostics the server publishes for it."""
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    message = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"]
        )
    )
    diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
    return diagnostics


def test_a_rule_completes_the_sets_levels_and_underlines_a_misspelt_question(
    client: Client,
) -> None:
    started = time.monotonic()
    path = BUNDLED / "rules" / "safety.yaml"
    lines = path.read_text().splitlines()
    misspelt = next(i for i, line in enumerate(lines) if "question: pregnancy," in line)
    lines[misspelt] = lines[misspelt].replace("question: pregnancy,", "question: pregnancyy,")
    outcome = next(i for i, line in enumerate(lines) if line.strip().startswith("outcome: "))
    lines[outcome] = lines[outcome][: lines[outcome].index(":") + 2]
    diagnostics = opened(client, path, "\n".join(lines) + "\n")

    assert [d["range"]["start"]["line"] for d in diagnostics] == [misspelt]
    (diagnostic,) = diagnostics
    assert diagnostic["range"]["start"]["character"] == lines[misspelt].index("pregnancyy")
    assert '"pregnancy"' in diagnostic["message"]  # among the valid values it lists

    result = client.request(
        "textDocument/completion",
        {
            "textDocument": {"uri": path.as_uri()},
            "position": {"line": outcome, "character": len(lines[outcome])},
        },
    )
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    levels = {
        "suitable_to_discuss", "discuss_with_caution", "refer_first", "not_suitable_now",
    }  # fmt: skip
    assert labels - {"null"} == levels
    assert not labels & {"All", "AnyOf", "Rule", "Not", "CountOf", "Citation"}
    assert time.monotonic() - started < 20


def test_a_condition_completes_its_keys_and_no_class_name(client: Client) -> None:
    path = BUNDLED / "rules" / "practical.yaml"
    text = path.read_text().rstrip("\n") + "\n  - id: new-rule\n    title: New\n    when:\n      \n"
    row = len(text.splitlines()) - 1
    opened(client, path, text)
    result = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": path.as_uri()}, "position": {"line": row, "character": 6}},
    )
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert {"all", "any", "not", "count_of", "not_known", "question", "is"} <= labels
    assert [label for label in labels if label[:1].isupper()] == []  # never All, AnyOf, Rule
