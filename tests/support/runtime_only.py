"""Run a command as on a station where `pip install proctor` put only the run-time
dependencies: every module of an installed distribution outside that closure (the dev and
bench extras, dlib) fails to import, as it would there. No network needed."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import subprocess
import sys

from packaging.requirements import Requirement

BLOCKER = """
import sys
from importlib.abc import MetaPathFinder
BLOCKED = set(sys.argv.pop(1).split(","))
class Blocked(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (not a run-time dependency)")
        return None
sys.meta_path.insert(0, Blocked())
sys.argv[0] = "proctor"
from proctor.cli.main import run
run()
"""


def _name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def runtime_closure(root: str = "proctor") -> set[str]:
    """The distributions `pip install proctor` installs (no extras of its own, but those its
    requirements name, as `psycopg[binary]`), by normalised name."""
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    todo = [(root, "")]
    while todo:
        name, extra = todo.pop()
        name = _name(name)
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        names.add(name)
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                todo.extend((requirement.name, e) for e in {"", *requirement.extras})
    return names


def blocked_modules() -> set[str]:
    """Top-level modules that only distributions outside the run-time closure provide."""
    keep = runtime_closure()
    blocked = set()
    for module, distributions in metadata.packages_distributions().items():
        if not any(_name(d) in keep for d in distributions):
            blocked.add(module)
    return blocked


def run_proctor(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER, ",".join(sorted(blocked_modules())), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
