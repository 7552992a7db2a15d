"""Generated code is committed; regenerating from proto/ must not change it (forgetting fails CI)."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ["proxy/_gen", "clients/python/src/dataaccess_client/_gen", "clients/typescript/src/gen", "clients/go/gen",
             "clients/java/src/gen/java"]


def _diff(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])
    out = [f"only in one: {x}" for x in cmp.left_only + cmp.right_only] + [f"differs: {x}" for x in cmp.diff_files]
    for sub in cmp.common_dirs:
        out += _diff(a / sub, b / sub)
    return out


def test_committed_generated_code_is_fresh(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for f in filter(None, files):
        src, dst = ROOT / f.decode(), copy / f.decode()
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    if (ROOT / "clients/typescript/node_modules").exists():
        (copy / "clients/typescript/node_modules").symlink_to(ROOT / "clients/typescript/node_modules")
    for g in GENERATED:
        shutil.rmtree(copy / g, ignore_errors=True)
    out = subprocess.run(["dev/proto.sh", "python"], cwd=copy, capture_output=True, text=True,
                         env={"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
                              "PYTHON": sys.executable, "HOME": str(Path.home())})
    assert out.returncode == 0, out.stderr
    for lang in ("typescript", "go", "java"):
        out = subprocess.run(["dev/proto.sh", lang], cwd=copy, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    problems = [f"{g}: {p}" for g in GENERATED for p in _diff(ROOT / g, copy / g)]
    assert not problems, "generated code is stale; run `make proto`:\n" + "\n".join(problems)


def test_buf_lint_passes() -> None:
    buf = subprocess.run([str(ROOT / "dev/gotool.sh"), "buf", "github.com/bufbuild/buf/cmd/buf", "v1.75.0"],
                         capture_output=True, text=True, check=True, timeout=900).stdout.strip()
    out = subprocess.run([buf, "lint"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
