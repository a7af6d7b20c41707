// A sign-up typed without signal shows its amount as the agent types: the phone's calculator (calc.js) with
// the parameters and words kept with the day (offline.js) and the person's facts the page carries
// (form[data-calc]). The
// amount goes with the queued sign-up (expected_net) and the server refuses it if its own differs. Online, the
// server's preview answers and the field stays empty.
(function () {
  "use strict";

  function digits(value) {
    var s = String(value || "").replace(/[^\d]/g, "");
    return s ? parseInt(s, 10) : null;
  }
  function count(value) {
    var s = String(value || "").trim();
    return /^\d+$/.test(s) ? parseInt(s, 10) : null;
  }
  function two(n) { return (String(n).length < 2 ? "0" : "") + n; }
  function isoDay(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    return m ? m[3] + "-" + two(m[2]) + "-" + two(m[1]) : null;
  }
  function vnDay(iso) { return iso.split("-").reverse().join("/"); }
  function money(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đ"; }
  function fill(text, values) {
    Object.keys(values).forEach(function (k) { text = text.replace("%(" + k + ")s", values[k]); });
    return text;
  }

  function show(form, state, text, note) {
    var box = form.querySelector("#quote-box");
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = state === "ok" ? "quote-line" : state === "error" ? "flash flash-error" : "muted";
    p.dataset.calc = state;
    p.textContent = text;
    box.appendChild(p);
    if (note) {
      var small = document.createElement("small");
      small.className = "muted";
      small.textContent = note;
      box.appendChild(small);
    }
  }

  function update(form) {
    var data = form.dataset, el = form.elements, expected = el.expected_net;
    if (navigator.onLine) { if (expected) expected.value = ""; return Promise.resolve(); }
    var later = (document.getElementById("offline-bar") || form).dataset.msgCalcLater || "";
    var got = window.portalOffline ? window.portalOffline.day() : Promise.resolve(null);
    return got.then(function (day) {
      if (navigator.onLine) return;
      if (expected) expected.value = "";
      var P = day && day.parameters, words = day && day.calcMessages;
      if (!P || !P.values || !words || !window.portalCalc) { show(form, "later", later); return; }
      var on = isoDay(el.signed_on.value);
      if (!on || on < P.valid_from || (P.valid_until && on >= P.valid_until)) {
        show(form, "later", words.otherDay);
        return;
      }
      var scheme = el.scheme.value;
      var q = window.portalCalc.signup(P, {
        scheme: scheme, income: digits(el.income.value), mode: el.mode.value, months: count(el.months.value),
        memberOrder: count(el.member_order.value), supportedMonthsUsed: parseInt(data.calcUsed || "0", 10),
        categories: (scheme === "bhxh_tn" ? data.calcBhxh : data.calcBhyt).split(" ")
      });
      if (q.error === "income") {
        show(form, "error", fill(words.income, { low: money(q.params.min_income), high: money(q.params.max_income) }));
      } else if (q.error === "months" || q.error === "bhyt_months" || q.error === "advance_months") {
        show(form, "error", words.months);
      } else if (q.error === "budget_paid") {
        show(form, "error", words.budget);
      } else if (q.error) {
        show(form, "error", words.error);
      } else {
        show(form, "ok", fill(words.line, { due: money(q.amount_due), support: money(q.support + q.local_support),
          net: money(q.net) }), fill(words.note, { day: vnDay(P.on) }));
        if (expected) expected.value = String(q.net);
      }
    });
  }

  function changed(evt) {
    var form = evt.target && evt.target.closest && evt.target.closest("form[data-calc]");
    if (form) update(form);
  }
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);

  function start() { document.querySelectorAll("form[data-calc]").forEach(update); }
  document.addEventListener("htmx:afterSettle", start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
