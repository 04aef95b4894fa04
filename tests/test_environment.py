"""The Python environment is the locked one: every package at its pinned version, and the lock up to
date with requirements.txt (after editing requirements.txt, run `make lock`)."""

from __future__ import annotations

import re
from importlib import metadata

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

LOCK = ROOT / "requirements-lock.txt"
# Installed by `python -m venv` or `pip install -e .`, not by the lock.
NOT_LOCKED = {"pip", "handbook"}


def _locked() -> dict[str, str]:
    """name -> version of every lock line whose marker holds on this machine."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.+))?$", line)
        if match and (match.group(3) is None or Marker(match.group(3)).evaluate()):
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _installed() -> dict[str, str]:
    return {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


def test_every_locked_package_is_installed_at_its_version():
    locked, installed = _locked(), _installed()
    assert len(locked) > 50
    wrong = {name: (version, installed.get(name)) for name, version in locked.items() if installed.get(name) != version}
    assert not wrong, f"installed versions differ from {LOCK.name} (locked, installed): {wrong}; run `make` after a fresh `rm -rf .venv`"


def test_nothing_outside_the_lock_is_installed():
    extra = set(_installed()) - set(_locked()) - NOT_LOCKED
    assert not extra, f"installed but not in {LOCK.name}: {sorted(extra)}"


def test_the_lock_pins_everything_requirements_txt_asks_for():
    locked = _locked()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is in requirements.txt but not in {LOCK.name}: run `make lock`"
        assert requirement.specifier.contains(locked[name], prereleases=True), \
            f"{LOCK.name} pins {name}=={locked[name]}, outside {requirement}: run `make lock`"
