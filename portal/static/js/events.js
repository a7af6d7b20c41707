// Event and copy forms: inline validation swaps the fields while the user may already be typing in them.
// Keep what was typed after the request left (in any text field, not only the one with the focus), and check
// it again. Without JavaScript the forms are plain forms checked when they are sent.
(function () {
  "use strict";
  if (window.portalEventsJs) return;
  window.portalEventsJs = true;

  var SWAPPED = ["event-body", "clone-body"];
  var sent = {};    // swapped element id -> {field id: value when the request left}
  var typed = null; // what changed in flight: {fields: [{id, value}], active: {id, start, end} or null}

  function isTextField(el) {
    return el && el.id && (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && /^(text|search|tel|number|)$/.test(el.type || "")));
  }

  function textFields(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input, textarea"), isTextField);
  }

  function swapped(evt) {
    var target = evt.detail.target;
    return target && SWAPPED.indexOf(target.id) >= 0 ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var target = swapped(evt);
    if (!target) return;
    var values = {};
    textFields(target).forEach(function (el) { values[el.id] = el.value; });
    sent[target.id] = values;
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = swapped(evt);
    typed = null;
    if (!target) return;
    var before = sent[target.id] || {};
    var active = document.activeElement;
    var fields = [];
    textFields(target).forEach(function (el) {
      if (el === active || (el.id in before && el.value !== before[el.id])) fields.push({ id: el.id, value: el.value });
    });
    typed = {
      fields: fields,
      active: target.contains(active) && isTextField(active)
        ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null
    };
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (!typed) return;
    var saved = typed;
    typed = null;
    var changed = null;
    saved.fields.forEach(function (item) {
      var field = document.getElementById(item.id);
      if (!field || field.value === item.value) return;
      field.value = item.value;
      changed = field;
    });
    if (saved.active) {
      var focused = document.getElementById(saved.active.id);
      if (focused && document.activeElement === focused) {
        try { focused.setSelectionRange(saved.active.start, saved.active.end); } catch (e) { /* not a text field */ }
      }
    }
    // Check what was typed, too, unless the user is still typing in that very field (its change comes later).
    if (changed && !(saved.active && changed.id === saved.active.id && document.activeElement === changed)) {
      changed.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
