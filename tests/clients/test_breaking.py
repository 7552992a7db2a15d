"""`buf breaking`: the protos in the working tree must stay wire- and source-compatible with main.

The check uses buf.yaml's `breaking: use: [FILE]` and compares the working tree with the protos
committed on the local `main` branch (CI runs on a fresh clone of main, so on main itself it compares
a commit with itself; on a branch or with uncommitted changes it compares them with main). The other
tests prove that the same invocation really reads both sides: it rejects renumbered fields in a
throwaway repository and accepts an added field with a fresh number.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUF_VERSION = "v1.75.0"
DOCUMENT_PROTO = Path("proto/dataaccess/v1/data_access.proto")


@pytest.fixture(scope="module")
def buf() -> str:
    return subprocess.run([str(ROOT / "dev/gotool.sh"), "buf", "github.com/bufbuild/buf/cmd/buf", BUF_VERSION],
                          capture_output=True, text=True, check=True, timeout=900).stdout.strip()


def breaking(buf: str, repo: Path) -> tuple[int, list[dict[str, object]], str]:
    """Run the check in `repo` (whose root holds buf.yaml): exit code, violations, raw output."""
    out = subprocess.run([buf, "breaking", "--against", ".git#branch=main", "--error-format", "json"],
                         cwd=repo, capture_output=True, text=True, timeout=300)
    violations = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return out.returncode, violations, out.stdout + out.stderr


def test_protos_have_no_breaking_change_against_main(buf: str) -> None:
    has_main = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/heads/main"], cwd=ROOT,
                              capture_output=True)
    assert has_main.returncode == 0, "no local branch `main` to compare the protos with (fetch it: " \
                                     "git fetch origin main:main)"
    code, violations, output = breaking(buf, ROOT)
    assert code == 0, "proto/ has breaking changes against main:\n" + output
    assert not violations


def _git(repo: Path, *args: str) -> None:
    # An isolated identity and config: no user hooks, signing or templates leak into the scratch repo.
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A repository whose `main` holds a copy of buf.yaml and proto/; the working tree is ours to edit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy2(ROOT / "buf.yaml", repo / "buf.yaml")
    shutil.copytree(ROOT / "proto", repo / "proto")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "protos as in the working tree")
    return repo


def edit_document(repo: Path, change: Callable[[str], str]) -> None:
    """Apply `change` to the body of `message Document { ... }` in the scratch copy."""
    path = repo / DOCUMENT_PROTO
    text = path.read_text()
    m = re.search(r"^message Document \{\n(.*?)^\}", text, re.M | re.S)
    assert m, "message Document not found in data_access.proto"
    body = change(m.group(1))
    assert body != m.group(1), "the edit changed nothing"
    path.write_text(text[:m.start(1)] + body + text[m.end(1):])


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    def change(body: str) -> str:
        new, n = re.subn(pattern, replacement, body, flags=re.M)
        assert n == 1, f"{pattern!r} matched {n} times in message Document"
        return new
    return change


def _swap_key_and_json(body: str) -> str:
    return _sub(r"^(\s*bytes json = )2;", r"\g<1>1;")(_sub(r"^(\s*string key = )1;", r"\g<1>2;")(body))


@pytest.mark.parametrize(("change", "rule", "words"), [
    # version moves from 3 to 4: old readers lose it, new readers misread anything sent as field 3.
    (_sub(r"^(\s*int64 version = )3;", r"\g<1>4;"), "FIELD_NO_DELETE", ['"3"', '"version"', '"Document"']),
    # Reserving the old number does not make the move compatible.
    (_sub(r"^(\s*)int64 version = 3;", r"\1reserved 3;\n\1int64 version = 4;"), "FIELD_NO_DELETE",
     ['"3"', '"version"', '"Document"']),
    # key and json swap numbers: the bytes on the wire now land in the other field.
    (_swap_key_and_json, "FIELD_SAME_NAME", ['"Document"', 'from "json" to "key"']),
], ids=["renumbered", "renumbered-old-number-reserved", "two-numbers-swapped"])
def test_buf_breaking_catches_a_renumbered_field(buf: str, scratch: Path, change: Callable[[str], str],
                                                 rule: str, words: list[str]) -> None:
    code, violations, output = breaking(buf, scratch)
    assert code == 0, "the unedited copy must not break:\n" + output
    edit_document(scratch, change)
    code, violations, output = breaking(buf, scratch)
    assert code == 100, f"expected buf's exit code for violations (100), got {code}:\n{output}"
    hits = [v for v in violations if v["type"] == rule and v["path"] == str(DOCUMENT_PROTO)]
    assert hits, f"no {rule} violation:\n{output}"
    assert any(all(w in str(v["message"]) for w in words) for v in hits), output


def test_a_new_field_with_a_fresh_number_is_not_breaking(buf: str, scratch: Path) -> None:
    edit_document(scratch, _sub(r"^(\s*)(int64 version = 3;\n)",
                                r"\1\2\1// An opaque tag of this version of the document.\n\1string etag = 4;\n"))
    assert "string etag = 4;" in (scratch / DOCUMENT_PROTO).read_text()
    code, violations, output = breaking(buf, scratch)
    assert code == 0 and not violations, output
