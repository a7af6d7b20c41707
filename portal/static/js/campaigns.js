// The targets grid with the keyboard: Enter / Shift+Enter and the arrow keys move between cells (a cell is
// saved by htmx when it changes). Without JavaScript the grid is a plain form with a "Save all" button.
(function () {
  "use strict";
  var CELL = "table.targets input[inputmode=numeric]";

  function cells(input) {
    return Array.prototype.slice.call(input.closest("table").querySelectorAll(CELL));
  }
  function width(input) {
    return input.closest("tr").querySelectorAll(CELL).length;
  }
  function move(input, next) {
    if (!next) return false;
    next.focus();
    next.select();
    return true;
  }

  document.addEventListener("keydown", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches(CELL) || evt.altKey || evt.ctrlKey || evt.metaKey) return;
    var all = cells(input), i = all.indexOf(input), w = width(input), next = null;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    if (evt.key === "Enter") next = evt.shiftKey ? all[i - w] : all[i + w];
    else if (evt.key === "ArrowDown") next = all[i + w];
    else if (evt.key === "ArrowUp") next = all[i - w];
    else if (evt.key === "ArrowRight" && atEnd) next = all[i + 1];
    else if (evt.key === "ArrowLeft" && atStart) next = all[i - 1];
    else if (evt.key === "Escape" && input.defaultValue !== input.value) {
      input.value = input.defaultValue; // back to the saved value
      evt.preventDefault();
      return;
    } else return;
    evt.preventDefault(); // Enter never submits the whole grid when JavaScript runs
    // Moving focus fires "change" on the cell left behind, which saves it.
    if (!move(input, next) && evt.key === "Enter") input.blur();
  });

  // After a cell is saved: mark it briefly, remember the saved value; on 422 flag it as invalid.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var input = evt.detail.elt;
    if (!input || !input.matches || !input.matches(CELL)) return;
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (status >= 200 && status < 300) {
      input.removeAttribute("aria-invalid");
      input.defaultValue = input.value;
      var cell = input.closest("td");
      cell.classList.add("saved-flash");
      window.setTimeout(function () { cell.classList.remove("saved-flash"); }, 900);
    } else if (status === 422) {
      input.setAttribute("aria-invalid", "true");
    }
  });

  // The office picker shows the chosen office at once.
  document.addEventListener("change", function (evt) {
    var form = evt.target.closest && evt.target.closest("form[data-autosubmit]");
    if (form && evt.target.matches("select")) form.requestSubmit();
  });
})();
