"""A ConfigMap volume as kubelet lays it out and updates it (pkg/volume/util/atomic_writer.go).

    DIR/rules.yaml -> ..data/rules.yaml          (user-visible names: symlinks, made once)
    DIR/..data -> ..2026_11_25_10_00_00.123456789 (the one symlink that is swapped)
    DIR/..2026_11_25_10_00_00.123456789/rules.yaml

An update writes every file into a new timestamped directory, points a new ``..data_tmp`` symlink
at it, renames ``..data_tmp`` over ``..data`` (one atomic rename(2)), then deletes the previous
timestamped directory. A reader of ``DIR/rules.yaml`` sees the old content or the new, never a mix,
but the file it resolves to is gone right after the swap.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path


class ConfigMapVolume:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        """The path a container is given (``--config``): the user-visible symlink."""
        return self.root / name

    def current(self) -> Path | None:
        data = self.root / "..data"
        return self.root / os.readlink(data) if data.is_symlink() else None

    def update(self, files: dict[str, str]) -> None:
        """One kubelet sync: the whole payload swapped in at once."""
        previous = self.current()
        stamp = time.strftime("..%Y_%m_%d_%H_%M_%S.", time.gmtime())
        new = Path(tempfile.mkdtemp(prefix=stamp, dir=self.root))  # like ioutil.TempDir: random suffix
        for name, text in files.items():
            (new / name).write_text(text)
            os.chmod(new / name, 0o644)
        os.chmod(new, 0o755)
        tmp = self.root / "..data_tmp"
        os.symlink(new.name, tmp)  # relative, as kubelet makes it
        os.rename(tmp, self.root / "..data")
        for name in files:
            link = self.root / name
            if not link.is_symlink():
                os.symlink(f"..data/{name}", link)
        if previous is not None and previous != new:
            shutil.rmtree(previous)

    def timestamped_dirs(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith("..") and p.is_dir()
                      and not p.is_symlink())
