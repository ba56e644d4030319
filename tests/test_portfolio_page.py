"""The portfolio page (``portefeuille rapport``) in a real browser (headless Chromium): it
renders, one row per client body, no horizontal overflow at 1280 px, sorts by a column
with its inline script (allowed by the page's policy through its hash), links each client
to its own page; user text is escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from entente_regles.cli import commands as cli
from entente_regles.outputs.portfolio_html import SCRIPT_HASH, page_name
from entente_regles.portfolio.generate import generate_portfolio

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AT = "2027-02-15"
HOSTILE = '<img src=x onerror="alert(1)">'


def _chromium(tmp_path: Path, page: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900",
         *args, page.as_uri()], capture_output=True, timeout=120, check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("portefeuille")
    folders = generate_portfolio(root / "ententes", clients=4, years=1, seed=3)
    agreement = folders[2] / "entente.toml"
    text = agreement.read_text(encoding="utf-8")
    agreement.write_text(re.sub(r'(?m)^client = ".*"$',
                                lambda _: f"client = {json.dumps(HOSTILE)}", text),
                         encoding="utf-8")
    target = root / "pages"
    assert cli.main(["portefeuille", "rapport", "--dir", str(root / "ententes"), "--at", AT,
                     "-o", str(target)]) == 0
    return target


def test_the_page_is_self_contained_and_escapes_user_text(pages: Path) -> None:
    html = (pages / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert f"script-src '{SCRIPT_HASH}'" in html
    assert HOSTILE not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    for name in re.findall(r'<a href="([^"]+)">', html):
        assert (pages / name).is_file()
    # an id that is no plain file name gets a plain name and a hash: never a path
    assert re.fullmatch(r"x_y-[0-9a-f]{8}\.html", page_name("../x/y"))
    assert page_name("index") != "index.html" and page_name("001-msss") == "001-msss.html"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs "
                                             "Debian's chromium package)")
def test_the_page_renders_fits_and_sorts_in_headless_chromium(pages: Path,
                                                             tmp_path: Path) -> None:
    dom = _chromium(tmp_path, pages / "index.html", "--dump-dom")
    assert "<h1>Portefeuille d'ententes — 2027-02-15</h1>" in dom
    rows = re.findall(r'<tr data-entente="([^"]+)"', dom)
    assert rows == ["001-msss", "002-meq", "003-mtmd", "004-mfq"]
    assert '<section id="totaux">' in dom
    late = {agreement: Decimal(value) for agreement, value in re.findall(
        r'<tr data-entente="([^"]+)".*?<td class="num late" data-v="([^"]+)"', dom)}
    assert len(late) == 4 and len(set(late.values())) >= 3  # a sort that shows
    # A page beside it measures the portfolio page in an iframe at 1280 px, then clicks the
    # "En retard" heading twice (the page's own script sorts) and reads the rows' order.
    probe = pages / "probe.html"
    probe.write_text(
        '<!DOCTYPE html><html><body><iframe id="f" src="index.html" style="width:1280px;'
        'height:800px;border:0"></iframe><script>document.getElementById("f")'
        '.addEventListener("load", function () { var d = document.getElementById("f")'
        '.contentDocument; var out = ["largeur=" + d.documentElement.scrollWidth];'
        'var th = Array.prototype.filter.call(d.querySelectorAll("#clients thead th"),'
        ' function (h) { return h.textContent.trim() === "En retard"; })[0];'
        'function order() { return Array.prototype.map.call(d.querySelectorAll('
        '"#clients tbody tr"), function (r) { return r.getAttribute("data-entente"); })'
        '.join(","); }'
        'th.querySelector("button").click(); out.push("asc=" + order());'
        'th.querySelector("button").click(); out.push("desc=" + order());'
        'var p = document.createElement("pre"); p.id = "mesures"; '
        'p.textContent = out.join(";"); document.body.appendChild(p); });'
        '</script></body></html>', encoding="utf-8")
    dom = _chromium(tmp_path, probe, "--allow-file-access-from-files",
                    "--virtual-time-budget=5000", "--dump-dom")
    found = re.search(r"largeur=(\d+);asc=([^;]*);desc=([^<]*)<", dom)
    assert found is not None, dom[-800:]
    assert int(found.group(1)) <= 1280
    assert found.group(2).split(",") == sorted(late, key=lambda a: late[a])
    assert found.group(3).split(",") == sorted(late, key=lambda a: late[a], reverse=True)
