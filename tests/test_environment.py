"""environment.yml (conda) and pyproject.toml (pip) must pin the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from utils import paths

PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*==\s*([^\s;#]+)\s*$")


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"not pinned with ==: {requirement!r}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return _pins(requirements)


def environment_pins() -> tuple[dict[str, str], list[str], list]:
    environment = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    editable = [r for r in pip_section if r.startswith("-e")]
    pinned = [r for r in pip_section if not r.startswith("-e")]
    return _pins(pinned), editable, environment


def test_environment_and_pyproject_pin_the_same_packages():
    env_pins, _, _ = environment_pins()
    project_pins = pyproject_pins()
    only_env = sorted(set(env_pins) - set(project_pins))
    only_project = sorted(set(project_pins) - set(env_pins))
    assert not only_env and not only_project, (
        f"only in environment.yml: {only_env}; only in pyproject.toml: {only_project}"
    )
    differing = {
        k: (env_pins[k], project_pins[k]) for k in env_pins if env_pins[k] != project_pins[k]
    }
    assert not differing, f"versions differ (environment.yml, pyproject.toml): {differing}"


def test_environment_installs_project_editable_from_conda_forge():
    _, editable, environment = environment_pins()
    assert editable == ["-e .[test]"]
    assert environment["channels"] == ["conda-forge"]
    python = [
        d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python")
    ]
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert python == ["python=3.11"] and "3.11" in project["requires-python"]


def test_pin_parser_rejects_unpinned_requirements():
    import pytest

    with pytest.raises(AssertionError, match="not pinned"):
        _pins(["pandas>=2"])
