// selaras static review page: filters the rows (what to show, origin, text search), jumps to
// the previous / next problem, and outlines a glossary term's pair on hover and focus. Inline in
// a page opened from disk: nothing is fetched, no eval, text is read, never written as HTML.
"use strict";
(function () {
  var bar = document.getElementById("filters");
  if (!bar) return;
  var show = document.getElementById("show");
  var origin = document.getElementById("origin");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var none = document.getElementById("none-shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.review tbody tr"));
  var texts = rows.map(function (row) {
    return (row.cells[1].textContent + "\n" + row.cells[2].textContent).toLowerCase();
  });
  var current = -1;
  bar.hidden = false;
  document.getElementById("keys").hidden = false;

  function wanted(row) {
    var kinds = (row.getAttribute("data-problems") || "").split(" ");
    if (show.value === "problem") return kinds[0] !== "";
    return !show.value || kinds.indexOf(show.value) >= 0;
  }

  function apply() {
    var query = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row, index) {
      var visible = wanted(row) && (!origin.value || row.getAttribute("data-origin") === origin.value) &&
        (!query || texts[index].indexOf(query) >= 0);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " shown";
    none.hidden = count > 0;
  }

  // From the row last jumped to, or else from the first row at the top of the window.
  function start(direction) {
    if (current >= 0 && !rows[current].hidden) return current;
    for (var index = 0; index < rows.length; index++) {
      if (rows[index].getBoundingClientRect().bottom > bar.offsetHeight + 1) {
        return direction > 0 ? index - 1 : index;
      }
    }
    return direction > 0 ? rows.length - 1 : rows.length;
  }

  function jump(direction) {
    for (var index = start(direction) + direction; index >= 0 && index < rows.length; index += direction) {
      var row = rows[index];
      if (!row.hidden && row.hasAttribute("data-problems")) {
        if (current >= 0) rows[current].classList.remove("current");
        current = index;
        row.classList.add("current");
        row.scrollIntoView({ block: "center" });
        return;
      }
    }
    shown.textContent = "no " + (direction > 0 ? "next" : "previous") + " problem; " + shown.textContent.replace(/^no .*?; /, "");
  }

  function light(event, on) {
    var mark = event.target.closest && event.target.closest("mark[data-term]");
    if (!mark) return;
    var pairs = mark.closest("tr").querySelectorAll('mark[data-term="' + mark.getAttribute("data-term") + '"]');
    Array.prototype.forEach.call(pairs, function (other) { other.classList.toggle("lit", on); });
  }

  show.addEventListener("change", apply);
  origin.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("next-problem").addEventListener("click", function () { jump(1); });
  document.getElementById("previous-problem").addEventListener("click", function () { jump(-1); });
  document.addEventListener("mouseover", function (event) { light(event, true); });
  document.addEventListener("mouseout", function (event) { light(event, false); });
  document.addEventListener("focusin", function (event) { light(event, true); });
  document.addEventListener("focusout", function (event) { light(event, false); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.key === "n") jump(1);
    else if (event.key === "p") jump(-1);
    else if (event.key === "/") search.focus();
    else if (event.key === "f") { show.value = show.value ? "" : "problem"; apply(); }
    else return;
    event.preventDefault();
  });
  apply();
})();
