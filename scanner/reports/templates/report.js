/* pdaudit report: filters, search, copy buttons, expanded printing.
   Without this script every item is visible; it only hides what the filters exclude.
   It reads the report from data-* attributes and writes only text, never HTML. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter-item]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var counter = document.getElementById("filter-count");

  function current() {
    var el = form.elements;
    return {
      source: el.source.value,
      container: el.container.value,
      type: el.type.value,
      status: el.status.value,
      search: el.search.value.trim().toLowerCase()
    };
  }

  function matches(item, f) {
    var d = item.dataset;
    if (f.source && d.source !== f.source) return false;
    if (f.container && d.container !== f.container) return false;
    if (f.type && (d.types || "").split(" ").indexOf(f.type) < 0) return false;
    if (f.status && d.status !== f.status) return false;
    if (f.search) {
      var words = f.search.split(/\s+/);
      var hay = d.search || "";
      for (var i = 0; i < words.length; i++) {
        if (hay.indexOf(words[i]) < 0) return false;
      }
    }
    return true;
  }

  function apply() {
    var f = current();
    var shown = 0;
    var total = 0;
    items.forEach(function (item) {
      var ok = matches(item, f);
      item.hidden = !ok;
      if (item.dataset.kind === "field") {
        total += 1;
        if (ok) shown += 1;
      }
    });
    groups.forEach(function (group) {
      var own = group.querySelectorAll("[data-filter-item]");
      var visible = 0;
      own.forEach(function (item) { if (!item.hidden) visible += 1; });
      var empty = group.querySelector("[data-empty]");
      if (empty) empty.hidden = visible > 0 || own.length === 0;
    });
    counter.textContent = counter.dataset.template
      .replace("{shown}", String(shown))
      .replace("{total}", String(total));
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // A plain button, so that the counts are updated in the same turn as the click.
    document.getElementById("filter-reset").addEventListener("click", function () {
      form.reset();
      apply();
    });
    apply();
  }

  var copyLabel = [document.body.dataset.copy || "Copy", document.body.dataset.copied || "Copied"];
  document.querySelectorAll("pre.cmd").forEach(function (pre) {
    var text = pre.textContent;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = copyLabel[0];
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = copyLabel[1];
        window.setTimeout(function () { button.textContent = copyLabel[0]; }, 1500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { select(pre); });
      } else {
        select(pre);
      }
    });
    pre.appendChild(button);
  });

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node.firstChild || node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // Printing shows every field expanded; the ones the reader had closed are closed again after.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    reopened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
})();
