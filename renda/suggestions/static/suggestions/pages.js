// Behaviour of the suggestion pages, attached by data attributes (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  // A filter box above long selects (deputies, units): typing hides the options that do not match.
  document.querySelectorAll("select[data-filterable]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.filterable;
    box.setAttribute("aria-label", select.dataset.filterable);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var text = box.value.trim();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = text !== "" && !option.selected && option.text.indexOf(text) === -1;
      });
    });
  });

  // Filter checkboxes of the list apply at once, like its selects.
  document.querySelectorAll("input[data-autosubmit-check]").forEach(function (box) {
    box.addEventListener("change", function () { box.form.requestSubmit(); });
  });

  // The assignment form shows the units the chosen mode needs: lead and co-units, or separate.
  document.querySelectorAll("form").forEach(function (form) {
    var radios = form.querySelectorAll("input[type=radio][name$=mode]");
    var lead = form.querySelector("[data-field=lead_unit]");
    var separate = form.querySelector("[data-field=separate_units]");
    if (!radios.length || !lead || !separate) { return; }
    var co = form.querySelector("[data-field=co_units]");
    function update() {
      var checked = form.querySelector("input[type=radio][name$=mode]:checked");
      var isSeparate = checked && checked.value === "separate";
      lead.classList.toggle("d-none", isSeparate);
      if (co) { co.classList.toggle("d-none", isSeparate); }
      separate.classList.toggle("d-none", !isSeparate);
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });

  // The 交办会 table: each row shows the unit columns its mode needs (kept in place, so the
  // columns stay aligned).
  document.querySelectorAll("#batch-table tr[data-suggestion]").forEach(function (row) {
    var mode = row.querySelector("select[name$='-mode']");
    if (!mode) { return; }
    function update() {
      row.querySelectorAll("[data-batch-cell]").forEach(function (cell) {
        var wanted = cell.dataset.batchCell === (mode.value || "none");
        cell.classList.toggle("invisible", !wanted);
      });
    }
    mode.addEventListener("change", update);
    update();
  });
});
