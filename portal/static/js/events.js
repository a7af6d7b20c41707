// Event and copy forms: inline validation swaps the fields while the user may already be typing in the next one.
// Keep what they typed there. Without JavaScript the forms are plain forms checked when they are sent.
(function () {
  "use strict";
  if (window.portalEventsJs) return;
  window.portalEventsJs = true;

  var SWAPPED = ["event-body", "clone-body"];
  var typing = null;

  function isTextField(el) {
    return el && el.id && (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && /^(text|search|tel|number|)$/.test(el.type || "")));
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    var active = document.activeElement;
    typing = null;
    if (target && SWAPPED.indexOf(target.id) >= 0 && target.contains(active) && isTextField(active)) {
      typing = { id: active.id, value: active.value, start: active.selectionStart, end: active.selectionEnd };
    }
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (!typing) return;
    var saved = typing;
    typing = null;
    var field = document.getElementById(saved.id);
    if (!field || field.value === saved.value) return;
    field.value = saved.value;
    if (document.activeElement === field) {
      try { field.setSelectionRange(saved.start, saved.end); } catch (e) { /* not a text field */ }
    } else {
      field.dispatchEvent(new Event("change", { bubbles: true }));  // check what was typed, too
    }
  });
})();
