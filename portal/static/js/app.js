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
})();
