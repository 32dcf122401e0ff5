"""The `news-analyze` console command installed by the package: `utils.analyze:main` with its
exit status, and a usage line naming the command as typed."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from utils import paths

COMMAND = "news-analyze"


def _installed_command() -> Path:
    script = Path(sys.executable).parent / COMMAND
    if not script.exists():
        pytest.fail(f"{script} is missing: re-install the package "
                    "(.venv/bin/pip install -e '.[test]')")
    return script


def test_pyproject_declares_the_command():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {COMMAND: "utils.analyze:main"}


def test_help_exits_0_and_names_the_command(tmp_path):
    result = subprocess.run([str(_installed_command()), "--help"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {COMMAND} ")
    assert "python -m utils.analyze [-h]" not in result.stdout


def test_the_command_exits_with_the_status_main_returns(tmp_path):
    result = subprocess.run([str(_installed_command()), "--jobs", "0"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert f"{COMMAND}: error: argument --jobs" in result.stderr


def test_entry_point_wrapper_passes_main_s_status_to_sys_exit(monkeypatch):
    """What setuptools' wrapper does, `sys.exit(main())`, exits with main's int."""
    from utils import analyze

    monkeypatch.setattr(sys, "argv", [COMMAND, "--jobs", "0"])
    with pytest.raises(SystemExit) as stop:
        sys.exit(analyze.main())
    assert stop.value.code == 2
    monkeypatch.setattr(sys, "argv", [COMMAND, "--help"])
    with pytest.raises(SystemExit) as stop:
        sys.exit(analyze.main())
    assert stop.value.code == 0


def test_python_m_keeps_its_own_usage_line(capsys, monkeypatch):
    from utils import analyze

    monkeypatch.setattr(sys, "argv", [str(Path(analyze.__file__))])  # as `python -m` sets it
    assert analyze.main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m utils.analyze ")
