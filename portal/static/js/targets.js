// Keyboard moves in the targets grid: Enter and arrow keys go to the next cell; pasting rows from Excel
// fills the cells to the right and below. Without JavaScript the grid is a plain form.
(function () {
  "use strict";
  function cells() { return Array.prototype.slice.call(document.querySelectorAll("table.targets input[inputmode=numeric]")); }
  function columns(input) { return input.closest("tr").querySelectorAll("input[inputmode=numeric]").length; }
  document.addEventListener("keydown", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("table.targets input[inputmode=numeric]")) return;
    var all = cells(), i = all.indexOf(input), width = columns(input), next = null;
    if (evt.key === "Enter" || evt.key === "ArrowDown") next = all[i + width];
    else if (evt.key === "ArrowUp") next = all[i - width];
    else if (evt.key === "ArrowRight" && input.selectionStart === input.value.length) next = all[i + 1];
    else if (evt.key === "ArrowLeft" && input.selectionStart === 0) next = all[i - 1];
    if (next) { evt.preventDefault(); input.dispatchEvent(new Event("change", { bubbles: true })); next.focus(); next.select(); }
  });
  document.addEventListener("paste", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("table.targets input[inputmode=numeric]")) return;
    var text = (evt.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) return;
    evt.preventDefault();
    var all = cells(), start = all.indexOf(input), width = columns(input);
    text.replace(/\r/g, "").split("\n").filter(function (l) { return l.length; }).forEach(function (line, r) {
      line.split("\t").forEach(function (value, c) {
        var cell = all[start + r * width + c];
        if (cell) { cell.value = value.replace(/[.\s]/g, ""); }
      });
    });
    input.closest("form").requestSubmit();
  });
})();
