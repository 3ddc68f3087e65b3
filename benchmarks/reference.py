"""A module of the product as it was at an earlier commit, for a benchmark's "before" column
(the git history must be there: a clone, not an exported tree)."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_at(commit: str, path: str, name: str) -> types.ModuleType:
    """``path`` (relative to the repository) as of ``commit``, loaded as module ``name``.
    Its ``__file__`` is the current file's place, so it finds what lies beside it (fonts)."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(name)
    module.__file__ = str(ROOT / path)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{path}@{commit[:7]}", "exec"), module.__dict__)  # noqa: S102
    return module
