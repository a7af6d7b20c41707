// Small behaviours on top of htmx. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function showMessage(html) {
    var box = document.getElementById("messages");
    if (!box) return;
    box.innerHTML = "";
    var wrapper = document.createElement("div");
    wrapper.innerHTML = html; // server-rendered, escaped by Jinja
    box.appendChild(wrapper);
    box.scrollIntoView({ block: "nearest" });
  }

  function plainMessage(text) {
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    return p.outerHTML;
  }

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    var body = xhr && xhr.responseText;
    if (body && /flash-error/.test(body) && body.length < 4000) {
      showMessage(body);
    } else {
      showMessage(plainMessage(document.body.dataset.msgError));
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showMessage(plainMessage(document.body.dataset.msgOffline));
  });

  // An inline check answers with a field's message only (never the field): keep the field's aria-invalid in
  // step with the message that came back.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var id = evt.detail.target && evt.detail.target.id;
    if (!id || !/-error$/.test(id)) return;
    var message = document.getElementById(id);
    if (!message) return;
    document.querySelectorAll('[aria-describedby="' + CSS.escape(id) + '"]').forEach(function (field) {
      if (message.hidden) field.removeAttribute("aria-invalid");
      else field.setAttribute("aria-invalid", "true");
    });
  });

  // Buttons that ask for confirmation carry data-confirm (htmx's hx-confirm covers htmx requests).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var text = form.dataset && form.dataset.confirm;
    if (text && !window.confirm(text)) {
      evt.preventDefault();
    }
  }, true);

  // The menu's groups are <details> dropdowns: one open at a time, closed by a click elsewhere or Escape.
  function closeMenus(except) {
    document.querySelectorAll(".site-header details.dropdown[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("toggle", function (evt) {
    var d = evt.target;
    if (d.matches && d.matches(".site-header details.dropdown") && d.open) closeMenus(d);
  }, true);
  document.addEventListener("click", function (evt) {
    if (!evt.target.closest || !evt.target.closest(".site-header details.dropdown")) closeMenus(null);
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") closeMenus(null);
  });

  // An area refreshed when a field changes (forms.refreshed) listens only once htmx has processed the page: a
  // field changed before that (chosen while a page was settling, or restored by the browser on going back)
  // would leave the area as it was rendered. When a page part holding both is ready, compare each field with
  // what the server rendered and ask the area to refresh if it differs.
  function changedSinceRendered(field) {
    if (field.tagName === "SELECT" && !field.multiple) {
      var options = Array.prototype.slice.call(field.options);
      var rendered = options.filter(function (o) { return o.defaultSelected; })[0] || options[0];
      return rendered ? field.value !== rendered.value : false;
    }
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    return "defaultValue" in field && field.value !== field.defaultValue;
  }
  function refreshStale(root) {
    if (!root || !root.querySelectorAll || !window.htmx) return;
    root.querySelectorAll("[data-refresh-on]").forEach(function (area) {
      var stale = area.dataset.refreshOn.split(",").some(function (selector) {
        var field = root.querySelector(selector);
        return field && changedSinceRendered(field);
      });
      if (stale) window.htmx.trigger(area, "refresh");
    });
  }
  document.addEventListener("htmx:load", function (evt) { refreshStale(evt.detail.elt); });
  window.addEventListener("pageshow", function (evt) { if (evt.persisted) refreshStale(document); });
})();
