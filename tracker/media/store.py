"""Content-addressed files: a file's name is the SHA-256 of its bytes, under two levels of
folders (``ab/cd/abcd…``). The same photo uploaded twice is stored once; a file is written
under a temporary name and renamed when complete, so a reader never sees half a file; the
path is never shown to anyone (the app serves photos by id after a permission check)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

NAME = re.compile(r"^[0-9a-f]{64}$")


class MediaStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if not NAME.match(digest):
            raise ValueError("not a content address")
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(partial, 0o640)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def digests(self) -> Iterator[str]:
        """Every stored file's address (temporary files left by a crash are not)."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if NAME.match(path.name) and path.is_file():
                yield path.name

    def partials(self) -> Iterator[Path]:
        if self.root.is_dir():
            yield from self.root.glob("??/??/.partial-*")

    def delete(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)
