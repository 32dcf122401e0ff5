""".ci/run installs Debian's chromium when it is missing (as root, or with sudo), says so in one
line when it cannot, and always ends with `make test` (whose status it returns).

The script runs with stub apt-get, sudo, id and make on a PATH without the system's
binaries, and its chromium location pointed at a path that does not exist."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from utils import paths

SCRIPT = paths.PROJECT_ROOT / ".ci" / "run"
BASH = shutil.which("bash")


def _stub(folder, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


def _run(tmp_path, *, uid: int = 0, sudo: bool = False, apt_status: int = 0,
         chromium: bool = False, make_status: int = 0):
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    text = SCRIPT.read_text().replace("/usr/bin/chromium", str(tmp_path / "no-chromium"))
    (project / ".ci" / "run").write_text(text)
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for tool in ("dirname", "mktemp", "env", "cat"):
        os.symlink(shutil.which(tool), stubs / tool)
    calls = tmp_path / "calls"
    _stub(stubs, "id", f'[ "$1" = "-u" ] && echo {uid}')
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> {calls}; exit {apt_status}')
    _stub(stubs, "make", f'echo "make $*" >> {calls}; exit {make_status}')
    if sudo:
        _stub(stubs, "sudo", f'echo "sudo $*" >> {calls}; shift; exec "$@"')
    if chromium:
        _stub(stubs, "chromium", "echo Chromium 1.0")
    result = subprocess.run([BASH, str(project / ".ci" / "run")], capture_output=True,
                            text=True, env={"PATH": str(stubs)}, timeout=60)
    return result, calls.read_text().splitlines() if calls.exists() else []


pytestmark = pytest.mark.skipif(BASH is None or os.name != "posix", reason="needs bash (POSIX)")


def test_installs_chromium_as_root_then_runs_make_test(tmp_path):
    result, calls = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert calls == [
        "apt-get update",
        "apt-get install -y --no-install-recommends chromium",
        "make test",
    ]
    assert result.stdout.startswith("installed chromium")


def test_uses_sudo_when_not_root(tmp_path):
    result, calls = _run(tmp_path, uid=1000, sudo=True)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "sudo -n apt-get update"
    assert calls[2].startswith("sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install")
    assert calls[-1] == "make test"


@pytest.mark.parametrize("situation", ["install fails", "not root, no sudo"])
def test_goes_on_with_one_line_when_it_cannot_install(tmp_path, situation):
    if situation == "install fails":
        result, calls = _run(tmp_path, apt_status=100)
        assert "chromium install failed" in result.stdout
    else:
        result, calls = _run(tmp_path, uid=1000)
        assert "chromium not installed" in result.stdout
        assert not any(call.startswith("apt-get") for call in calls)
    assert len(result.stdout.splitlines()) == 1
    assert "will skip" in result.stdout
    assert calls[-1] == "make test" and result.returncode == 0


def test_no_install_when_chromium_is_there_and_make_status_is_returned(tmp_path):
    result, calls = _run(tmp_path, chromium=True, make_status=2)
    assert calls == ["make test"]
    assert result.returncode == 2 and result.stdout == ""
