(function () {
  function key(cell) {
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-tri");
    if (v === null) { return cell.textContent.trim(); }
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : v;
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b), document.documentElement.lang, {numeric: true});
  }
  document.querySelectorAll("table.tri").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var r = compare(key(a.cells[i]), key(b.cells[i]));
          return up ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.querySelectorAll(".js-seul").forEach(function (e) {
    e.classList.remove("js-seul");
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("data-ouvert-pour-impression", "");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-ouvert-pour-impression]").forEach(function (d) {
      d.removeAttribute("data-ouvert-pour-impression");
      d.open = false;
    });
  });
})();
