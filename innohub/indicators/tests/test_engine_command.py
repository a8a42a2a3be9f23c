"""Given COINr-layout files, when ``manage.py indicators_run`` runs, then it writes uCode, Rank
and one column per aggregate; bad input exits non-zero, names the problem and writes nothing; what
it says reads in the operator's language (``--language``, the site's by default: Vietnamese).
Run in-process as the command line runs it (``run_from_argv``: exit status, ``CommandError: …``
on standard error), without a test database: the command reads and writes files only."""

from __future__ import annotations

import contextlib
import csv
import io
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data/coinr-asem")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py indicators_run ARGS`` as a shell runs it, in this process (starting Python and
    Django again for each call cost most of these tests' time)."""
    from django.core.management import ManagementUtility
    from django.utils import translation

    out, err = io.StringIO(), io.StringIO()
    code = 0
    language = translation.get_language()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            ManagementUtility([str(ROOT / "manage.py"), "indicators_run", *args]).execute()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        translation.activate(language)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_run_writes_the_reference_results(tmp_path):
    out = tmp_path / "results.csv"
    done = run("--idata", str(DATA / "ASEM_iData.csv"), "--imeta", str(DATA / "ASEM_iMeta.csv"),
               "--spec", "coinr-example", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"coinr-example: 51 đơn vị, 11 chỉ số tổng hợp, năm 2018 -> {out}"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:5] == ["uCode", "Rank", "Index", "Conn", "Sust"]
    assert (rows[0]["uCode"], rows[0]["Rank"], round(float(rows[0]["Index"]), 2)) == ("CHE", "1", 68.38)
    assert len(rows) == 51


@pytest.mark.parametrize(
    ("idata_text", "spec", "message"),
    [
        (None, "no-such-spec", "no spec file or shipped spec named 'no-such-spec'"),
        ("uCode,LPI\nAUT,1\n", "coinr-example", "iData: missing column 'Flights'"),
        ("bad", "coinr-example", "is not a number"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(tmp_path, idata_text, spec, message):
    idata = DATA / "ASEM_iData.csv"
    if idata_text == "bad":
        lines = idata.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index("LPI")] = "high"
        idata = tmp_path / "idata.csv"
        idata.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]), encoding="utf-8")
    elif idata_text is not None:
        idata = tmp_path / "idata.csv"
        idata.write_text(idata_text, encoding="utf-8")
    out = tmp_path / "results.csv"
    done = run("--idata", str(idata), "--imeta", str(DATA / "ASEM_iMeta.csv"), "--spec", spec, "--out", str(out),
               "--language", "en")
    assert done.returncode != 0
    assert message in done.stderr
    assert "indicators_run: nothing written." in done.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".results.csv*")) == []


def test_errors_read_in_vietnamese_by_default_and_in_english_when_asked(tmp_path):
    out = tmp_path / "results.csv"
    files = ("--idata", str(DATA / "ASEM_iData.csv"), "--imeta", str(DATA / "ASEM_iMeta.csv"))
    vietnamese = run(*files, "--spec", "no-such-spec", "--out", str(out))
    assert vietnamese.returncode != 0
    assert vietnamese.stderr.splitlines()[-2:] == [
        "CommandError: indicators_run: không ghi tệp nào.",
        "không có tệp cấu hình hay cấu hình có sẵn nào tên 'no-such-spec' (có sẵn: coinr-example)",
    ]
    year = run(*files, "--spec", "coinr-example", "--out", str(out), "--year", "1999", "--language", "vi")
    assert year.stderr.splitlines()[-1] == "không có kết quả cho năm 1999 (các năm có: 2018)"
    english = run(*files, "--spec", "coinr-example", "--out", str(tmp_path / "missing" / "r.csv"), "--language", "en")
    assert english.returncode != 0
    assert english.stderr.strip() == (
        f"CommandError: indicators_run: nothing written: folder {tmp_path / 'missing'} does not exist")
    assert not out.exists() and list(tmp_path.iterdir()) == []
