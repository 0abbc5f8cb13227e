"""pdaudit as a user gets it: a wheel built from the tree, installed into a fresh virtualenv
outside the checkout, runs every command's help, `detect` and `scan` on a copy of sample_data.

The build and the install are real (pip, the project's own build backend, PyPI for what the cache
does not hold); nothing of the checkout is on the installed program's path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["detect", "init", "report", "run", "scan", "triage"]
# What the tree holds that is not part of the program.
NOT_SHIPPED = {".git", ".venv", "tests", "bench", "eval", "docs", "examples", "sample_data"}


def _run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _copy_tree(target: Path) -> Path:
    """The project's files without the virtualenv and caches: the build writes into the copy."""
    ignore = shutil.ignore_patterns(*NOT_SHIPPED, "__pycache__", "*.egg-info", "build", ".*cache")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    source = _copy_tree(base / "src")
    dist = base / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        cwd=base,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("pdaudit-*.whl")
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    assert made.returncode == 0, made.stderr
    pip = _run(
        [str(venv / "bin" / "pip"), "install", "-q", f"pdaudit[ocr] @ {wheel.as_uri()}"],
        cwd=base,
        timeout=900,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    work = base / "work"
    shutil.copytree(ROOT / "sample_data", work / "sample_data")
    return {"wheel": wheel, "venv": venv, "work": work}


def test_the_wheel_holds_every_module_and_data_file_under_pdaudit(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    tops = {name.split("/", 1)[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"pdaudit"}
    for folder in ("scanner", "recognizers", "configs"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT).as_posix()
                assert f"pdaudit/{rel}" in names, f"{rel} is not in the wheel"
    licence = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert len(licence) == 1


def test_every_command_has_help_and_the_version(installed):
    exe = str(installed["venv"] / "bin" / "pdaudit")
    from pdaudit.scanner import __version__

    version = _run([exe, "--version"], cwd=installed["work"])
    assert (version.returncode, version.stdout) == (0, f"pdaudit, version {__version__}\n")
    for command in COMMANDS:
        shown = _run([exe, command, "--help"], cwd=installed["work"])
        assert shown.returncode == 0, (command, shown.stderr)
        assert shown.stdout.startswith(f"Usage: pdaudit {command} "), command


def test_no_top_level_scanner_or_recognizers(installed):
    python = str(installed["venv"] / "bin" / "python")
    for name in ("scanner", "recognizers", "configs"):
        found = _run(
            [python, "-c", f"import importlib.util as u; print(u.find_spec({name!r}))"],
            cwd=installed["work"],
        )
        assert found.stdout.strip() == "None", name
    where = _run(
        [python, "-c", "import pdaudit.scanner.policy as p; print(p.DEFAULT_POLICY.is_file())"],
        cwd=installed["work"],
    )
    assert where.stdout.strip() == "True"


def test_detect_from_the_wheel(installed):
    exe = str(installed["venv"] / "bin" / "pdaudit")
    line = "ЖУМАБЕК АРМАН НУРЛАНУЛЫ, ИИН 900101300126\n"
    out = subprocess.run(
        [exe, "detect"],
        input=line,
        cwd=installed["work"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "line": 1,
        "entities": [
            {"type": "PERSON", "start": 0, "end": 23, "score": 0.95},
            {"type": "KZ_IIN", "start": 29, "end": 41, "score": 1.0},
        ],
    }


def test_scan_from_the_wheel_matches_the_checkout(installed, tmp_path):
    """The installed program finds the shipped policy and gives the checkout's verdicts."""
    exe = str(installed["venv"] / "bin" / "pdaudit")
    work = installed["work"]
    sources = ["sample_data/mirum.db", "sample_data/scans"]
    done = _run([exe, "scan", *sources, "--format", "json", "-o", "r.json", "--quiet"], cwd=work)
    assert done.returncode == 1, done.stderr  # the demo has fields beyond the policy
    report = json.loads((work / "r.json").read_text("utf-8"))

    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan

    here = scan([str(work / s) for s in sources], load_policy())

    def verdicts(r: dict) -> list[tuple]:
        return sorted(
            (f["container"], f["field"], f["status"], tuple(sorted(f.get("types", {}))))
            for f in r["fields"]
        )

    assert report["policy"]["id"] == "mirum-privacy-policy-2.3"
    assert report["summary"] == here["summary"]
    assert verdicts(report) == verdicts(here)
