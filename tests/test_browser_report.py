"""The report page in headless Chromium at 1280 and 390 px (issue 20): nothing wider than
the window, the summary first, late items before the rest, the balance visible on a phone,
the tables sortable by the page's one script (allowed by its hash), the page the same
without it, a 3,000-character key wrapped, and a balance partly held by a dispute with an
interest column (issue 19) read whole on a phone. One Chromium run measures seven frames (the
bundled example, a long key and the held balance at both widths, the example at 1280 px with
scripts disabled): a page next to the reports loads them in iframes of those widths and writes what
it measured into its own DOM, which ``--dump-dom`` prints."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from entente_regles.cli import commands as cli

TESTS = Path(__file__).resolve().parent
# tests/regles_periodes: F-1 (1 000,00) is disputed for 300,00 and late for the rest
HELD_LOG = [
    {"type": "facture", "date": "2026-03-02", "par": "fournisseur", "facture": "F-1",
     "montant": "1000.00"},
    {"type": "contestation", "date": "2026-03-10", "par": "client", "contestation": "C-1",
     "facture": "F-1", "montant_conteste": "300.00"},
]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = (1280, 390)
LONG_KEY = "F-" + "K" * 3000

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")

# Measures each frame once loaded; in the 1280 px frame of the example, sorts the late
# table by balance twice (descending) through the headings' buttons the page's script adds.
PROBE = """<!DOCTYPE html><html><body><pre id="out"></pre>
%(frames)s
<script>
var results = {}, left = %(count)d;
function measure(frame) {
  var d = frame.contentDocument, w = frame.contentWindow, root = d.documentElement;
  var r = {scroll: root.scrollWidth, client: root.clientWidth, inner: w.innerWidth};
  var top = function (id) {
    var e = d.getElementById(id);
    return e ? e.getBoundingClientRect().top : -1;
  };
  r.summary = top("sommaire"); r.owed = top("dues"); r.late = top("dues-retard");
  r.other = top("dues-autres");
  r.statuses = Array.prototype.map.call(d.querySelectorAll("#dues tr[data-statut]"),
    function (t) { return t.getAttribute("data-statut"); });
  var cell = d.querySelector("#table-retard td.solde");
  if (cell) {
    var b = cell.getBoundingClientRect();
    r.balance = {left: b.left, right: b.right, width: b.width, height: b.height,
                 text: cell.textContent, display: w.getComputedStyle(cell).display};
  }
  r.wide = Array.prototype.filter.call(d.querySelectorAll("body *"), function (e) {
    return e.getBoundingClientRect().right > root.clientWidth + 0.5;
  }).slice(0, 5).map(function (e) { return e.tagName + "#" + e.id + " " + e.className; });
  r.buttons = d.querySelectorAll("table.tri th button").length;
  r.sort_hint = w.getComputedStyle(d.getElementById("aide-tri")).display;
  if (frame.getAttribute("data-sort") === "1") {
    var heads = d.querySelectorAll("#table-retard th button");
    var last = heads[heads.length - 1];
    last.click(); last.click();
    r.sorted = Array.prototype.map.call(d.querySelectorAll("#table-retard td.key"),
      function (c) { return c.textContent; });
  }
  results[frame.id] = r;
  if (--left === 0) { document.getElementById("out").textContent = JSON.stringify(results); }
}
Array.prototype.forEach.call(document.querySelectorAll("iframe"), function (f) {
  if (f.contentDocument && f.contentDocument.readyState === "complete"
      && f.contentDocument.getElementById("sommaire")) { measure(f); }
  else { f.addEventListener("load", function () { measure(f); }); }
});
</script></body></html>"""


def _page(tmp_path: Path, name: str, *argv: str) -> Path:
    page = tmp_path / name
    assert cli.main(["rapport", "--engine", "python", "-o", str(page), *argv]) == 0
    return page


def _long_key_log(path: Path) -> Path:
    path.write_text(json.dumps({"type": "facture_emise", "date": "2026-05-01", "par": "mcn",
                                "facture": LONG_KEY, "montant": "100.00",
                                "periode": "2026-04"}) + "\n", encoding="utf-8")
    return path


def _measure(tmp_path: Path) -> dict[str, dict[str, Any]]:
    _page(tmp_path, "exemple.html", "--at", "2026-07-15")
    _page(tmp_path, "longue.html", "--at", "2026-07-15", "--events",
          str(_long_key_log(tmp_path / "long.jsonl")), "--client", "X",
          "--in-force-from", "2026-04-01")
    (tmp_path / "retenue.jsonl").write_text("".join(json.dumps(e) + "\n" for e in HELD_LOG),
                                            encoding="utf-8")
    _page(tmp_path, "retenue.html", "--at", "2026-05-15", "--rules",
          str(TESTS / "regles_periodes"), "--events", str(tmp_path / "retenue.jsonl"),
          "--client", "X", "--in-force-from", "2026-03-02")
    frames = [
        f'<iframe id="{name}-{width}" src="{name}.html" '
        f'data-sort="{int(name == "exemple" and width == 1280)}" '
        f'style="width:{width}px;height:900px;border:0;display:block"></iframe>'
        for name in ("exemple", "longue", "retenue") for width in WIDTHS]
    # the page with scripts disabled (a sandbox without allow-scripts), at 1280 px
    frames.append('<iframe id="sans-script-1280" src="exemple.html" sandbox="allow-same-origin" '
                  'style="width:1280px;height:900px;border:0;display:block"></iframe>')
    probe = tmp_path / "probe.html"
    probe.write_text(PROBE % {"frames": "\n".join(frames), "count": len(frames)},
                     encoding="utf-8")
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1400,1000", "--allow-file-access-from-files",
         "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
        capture_output=True, timeout=120, check=True)
    dom = done.stdout.decode("utf-8")
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found is not None and found.group(1), dom[-800:]
    data: dict[str, dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return data


def test_report_page_at_1280_and_390_px(tmp_path: Path) -> None:
    data = _measure(tmp_path)
    assert set(data) == {f"{n}-{w}" for n in ("exemple", "longue", "retenue")
                         for w in WIDTHS} | {
        "sans-script-1280"}
    without = data.pop("sans-script-1280")  # no script: no sort buttons, the rest the same
    assert without["buttons"] == 0 and without["wide"] == []
    assert without["scroll"] <= without["client"]
    assert without["statuses"] == data["exemple-1280"]["statuses"]
    for field in ("text", "display"):  # the sort arrows move it by a few pixels
        assert without["balance"][field] == data["exemple-1280"]["balance"][field]
    assert without["sort_hint"] == "none"  # the hint to click a heading needs the script
    assert data["exemple-1280"]["sort_hint"] == "block"
    for frame, r in data.items():
        # no horizontal overflow of the document, at either width
        assert r["scroll"] <= r["client"] <= r["inner"], (frame, r["wide"])
        assert r["wide"] == [], frame  # no element reaches past the window's right edge
        assert 0 <= r["summary"] < r["owed"], frame  # the summary band comes first
        assert r["buttons"] > 0, frame  # the script ran: the CSP's hash matches it
    for width in WIDTHS:
        r = data[f"exemple-{width}"]
        assert r["statuses"][:2] == ["en_retard", "en_retard"]
        assert "en_retard" not in r["statuses"][2:] and len(r["statuses"]) == 5
        assert 0 < r["late"] < r["other"]  # late items, then the rest
        balance = r["balance"]  # the first late row's balance, seen whole
        assert balance["display"] != "none" and balance["width"] > 0 < balance["height"]
        assert balance["left"] >= 0 and balance["right"] <= r["client"], (width, balance)
        assert balance["text"] == "2\u00a0500,00\u00a0$"
    for width in WIDTHS:  # the held part under the balance, seen whole (decision 71)
        balance = data[f"retenue-{width}"]["balance"]
        assert balance["text"] == "1\u202f000,00dont 300,00 retenus", balance
        assert balance["right"] <= data[f"retenue-{width}"]["client"]
    # by balance, descending: F-2026-05 (12 500 $) before F-2026-04 (2 500 $)
    assert data["exemple-1280"]["sorted"] == ["F-2026-05", "F-2026-04"]
