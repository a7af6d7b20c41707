// Event and copy forms: inline validation swaps the fields while the user may already be changing them. Keep
// what was typed, chosen or ticked after the request left (in any field, not only the one with the focus), and
// check it again. Without JavaScript the forms are plain forms checked when they are sent.
(function () {
  "use strict";
  if (window.portalEventsJs) return;
  window.portalEventsJs = true;

  var SWAPPED = ["event-body", "clone-body"];
  var sent = {};    // swapped element id -> {field id: value when the request left}
  var typed = null; // what changed in flight: {fields: [{key, value}], active: {id, start, end} or null}

  function isTextField(el) {
    return el && el.id && (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && /^(text|search|tel|number|)$/.test(el.type || "")));
  }

  // Fields a user fills in: text, choices, tick boxes (not hidden fields or buttons).
  function controls(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input, select, textarea"), function (el) {
      return (isTick(el) ? el.name : el.id) && !/^(hidden|submit|button|reset|file|image)$/.test(el.type || "");
    });
  }

  // A tick box is known by its name and value (ids are numbered and change with the choices offered).
  function isTick(el) { return el.type === "checkbox" || el.type === "radio"; }
  function key(el) { return isTick(el) ? "tick:" + el.name + "=" + el.value : el.id; }
  function find(root, k) {
    if (k.indexOf("tick:") !== 0) return document.getElementById(k);
    var rest = k.slice(5), at = rest.indexOf("=");
    var name = rest.slice(0, at), value = rest.slice(at + 1);
    return Array.prototype.find.call(root.querySelectorAll("input[type=checkbox], input[type=radio]"), function (el) {
      return el.name === name && el.value === value;
    }) || null;
  }

  function state(el) {
    if (isTick(el)) return el.checked ? "1" : "0";
    if (el.tagName === "SELECT" && el.multiple) {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }).join("\n");
    }
    return el.value;
  }

  function restore(el, value) {
    if (isTick(el)) { el.checked = value === "1"; return; }
    if (el.tagName === "SELECT" && el.multiple) {
      var wanted = value.split("\n");
      Array.prototype.forEach.call(el.options, function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
      return;
    }
    if (el.tagName === "SELECT" &&
        !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
      return;  // the choice is no longer offered: keep the server's
    }
    el.value = value;
  }

  function swapped(evt) {
    var target = evt.detail.target;
    return target && SWAPPED.indexOf(target.id) >= 0 ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var target = swapped(evt);
    if (!target) return;
    var values = {};
    controls(target).forEach(function (el) { values[key(el)] = state(el); });
    sent[target.id] = values;
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = swapped(evt);
    typed = null;
    if (!target) return;
    var before = sent[target.id] || {};
    var active = document.activeElement;
    var fields = [];
    controls(target).forEach(function (el) {
      var k = key(el), now = state(el);
      if ((el === active && isTextField(el)) || (k in before && now !== before[k])) fields.push({ key: k, value: now });
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
      var field = find(document, item.key);
      if (!field || state(field) === item.value) return;
      restore(field, item.value);
      if (state(field) === item.value) changed = field;
    });
    if (saved.active) {
      var focused = document.getElementById(saved.active.id);
      if (focused && document.activeElement === focused) {
        try { focused.setSelectionRange(saved.active.start, saved.active.end); } catch (e) { /* not a text field */ }
      }
    }
    // Check what was changed in flight, too, unless the user is still typing in that very field (its change
    // event comes when they leave it).
    if (changed && !(saved.active && changed.id === saved.active.id && document.activeElement === changed)) {
      changed.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
