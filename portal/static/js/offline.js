// The agent's phone without signal. A form joins by carrying data-offline="<what it records>": when there is
// no connection its post is queued in IndexedDB (with its submission_key, the server's idempotency key) and
// sent, in order, when the connection returns; each sent item gets its result (accepted, duplicate, refused,
// conflict). The day's pages are kept in the Cache API (read by /sw.js when the network fails). No inline
// script, nothing in localStorage.
(function () {
  "use strict";

  var DB_NAME = "portal-offline";
  var DAY_CACHE = "portal-day";
  var META_URL = "/offline/meta.json";
  var DAY_MAX_AGE = 10 * 60 * 1000; // the day is saved again when My work is opened online after this long
  var bar = null;
  var syncing = false;
  var started = false;
  var refreshes = 0;

  // ---- IndexedDB: "queue" (actions not sent, in order) and "results" (what came back), "meta" (key/value).
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
        db.createObjectStore("results", { keyPath: "id", autoIncrement: true });
        db.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        Promise.resolve(work(t.objectStore(store))).then(function (value) { result = value; });
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function req(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function all(store) { return tx(store, "readonly", function (s) { return req(s.getAll()); }); }
  function add(store, value) { return tx(store, "readwrite", function (s) { return req(s.add(value)); }); }
  function remove(store, id) { return tx(store, "readwrite", function (s) { return req(s.delete(id)); }); }
  function getMeta(key) { return tx("meta", "readonly", function (s) { return req(s.get(key)); }); }
  function setMeta(key, value) { return tx("meta", "readwrite", function (s) { return req(s.put(value, key)); }); }

  function msg(name, values) {
    var text = (bar && bar.dataset[name]) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("%(" + k + ")s", values[k]); });
    return text;
  }

  function when(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + " " + two(d.getDate()) + "/" + two(d.getMonth() + 1);
  }

  function kb(bytes) { return (bytes / 1024 / 1024).toFixed(2).replace(".", ",") + " MB"; }

  function flash(text, kind) {
    var box = document.getElementById("messages");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "flash flash-" + (kind || "info");
    p.setAttribute("role", "status");
    p.textContent = text;
    box.innerHTML = "";
    box.appendChild(p);
  }

  // ---- The sync line at the top of every agent page.
  function refreshBar() {
    if (!bar) return Promise.resolve();
    var seq = ++refreshes;
    return Promise.all([all("queue"), getMeta("lastSync")]).then(function (got) {
      if (seq !== refreshes) return null; // a later refresh has read a newer state
      var queue = got[0], last = got[1];
      var own = queue.filter(function (item) { return item.user === bar.dataset.user; });
      bar.hidden = false;
      bar.dataset.pending = String(own.length);
      bar.classList.toggle("has-pending", own.length > 0);
      bar.querySelector(".offline-count").textContent = own.length ? msg("msgPending", { n: own.length }) : "";
      var parts = [];
      if (!navigator.onLine) parts.push(msg("msgOffline"));
      if (syncing) parts.push(msg("msgSending"));
      parts.push(last ? msg("msgSynced", { when: when(last) }) : msg("msgNever"));
      bar.querySelector(".offline-when").textContent = parts.join(" · ");
      markQueued(own);
      return renderPage(own);
    });
  }

  // ---- Queue an action: the form's fields, its key and what the agent saw when recording it.
  function fields(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var list = [];
    data.forEach(function (value, name) { if (typeof value === "string") list.push([name, value]); });
    return list;
  }

  function randomKey() {
    var bytes = new Uint8Array(9);
    crypto.getRandomValues(bytes);
    return "off-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ``sent`` is true when the post may have reached the server (the answer was lost): it keeps the page's key,
  // so that the server counts it once. A post never sent gets a key of its own (a kept page is used all day).
  function queue(form, submitter, sent) {
    var list = fields(form, submitter);
    var key = list.filter(function (f) { return f[0] === "submission_key"; })[0];
    if (!key || !key[1] || !sent) {
      list = list.filter(function (f) { return f[0] !== "submission_key"; });
      key = ["submission_key", randomKey()];
      list.push(key);
    }
    var stateEl = form.closest("[data-offline-state]") ||
      (form.closest("li, tr, article, main") || document).querySelector("[data-offline-state]");
    var item = {
      user: bar.dataset.user, url: form.getAttribute("action") || location.pathname, fields: list, key: key[1],
      label: form.dataset.offline || document.title, page: location.pathname + location.search,
      state: stateEl ? stateEl.textContent.replace(/\s+/g, " ").trim() : "", at: Date.now()
    };
    return add("queue", item).then(function () {
      if (!identity(form).length) form.reset(); // ready for the next one
      flash(msg("msgQueued"), "info");
      return refreshBar();
    });
  }

  // The forms of this page whose action waits in the queue: marked "not sent" (after a reload too).
  var IGNORED = { csrf_token: true, submission_key: true, version: true, offline_household_version: true };

  // The hidden fields that say what a form is about (which household, which outcome); none for a form that
  // records something new each time (a walk-in).
  function identity(form) {
    return Array.prototype.filter.call(form.querySelectorAll("input[type=hidden][name]"), function (input) {
      return !IGNORED[input.name];
    });
  }

  function sameForm(form, item) {
    var hidden = identity(form);
    if (form.getAttribute("action") !== item.url || !hidden.length) return false;
    return hidden.every(function (input) {
      return item.fields.some(function (f) { return f[0] === input.name && f[1] === input.value; });
    });
  }

  function markQueued(items) {
    var forms = document.querySelectorAll("form[data-offline]");
    forms.forEach(function (form) {
      if (!items.some(function (item) { return sameForm(form, item); })) return;
      var row = form.closest(".work-row, tr, li") || form;
      row.classList.add("offline-queued");
      form.querySelectorAll("button").forEach(function (b) { b.classList.remove("outline"); b.disabled = true; });
      if (!row.querySelector(".offline-badge")) {
        var badge = textEl("span", msg("msgNotSent"), "badge offline-badge");
        (row.querySelector(".who") || row.querySelector("td:last-child") || row).appendChild(badge);
      }
    });
  }

  function pendingCount() {
    return all("queue").then(function (q) { return q.length; });
  }

  // A data-offline form posted without a connection, or while older actions still wait (to keep the order).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!bar || !form.matches("form[data-offline]") || (form.method || "").toLowerCase() !== "post") return;
    if (evt.defaultPrevented) return;
    if (navigator.onLine && !form.dataset.offlineForce) {
      // Online: send as usual, unless older actions are waiting.
      if (!bar.classList.contains("has-pending")) return;
    }
    evt.preventDefault();
    evt.stopPropagation();
    queue(form, evt.submitter, false).then(sync);
  }, true);

  // Online on paper but the request fails (weak signal): queue what htmx could not send.
  document.addEventListener("htmx:sendError", function (evt) {
    var elt = evt.detail.elt;
    var form = elt && (elt.matches("form") ? elt : elt.closest("form"));
    if (!form || !form.matches("form[data-offline]") || evt.detail.requestConfig.verb !== "post") return;
    queue(form, null, true);
  });

  // Offline, a form's previews (the calculator's amount) cannot be asked for: say so instead of an error.
  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (navigator.onLine) return;
    var elt = evt.detail.elt;
    var form = elt && (elt.matches("form") ? elt : elt.closest("form"));
    if (form && form.matches("form[data-offline]") && evt.detail.requestConfig.verb === "get") {
      evt.preventDefault();
      var target = evt.detail.target;
      if (target && !form.matches("[data-calc]")) target.textContent = msg("msgCalcLater"); // else offline-calc.js
    }
  });

  // ---- Sending, in order; stops at the first item the server cannot take now.
  function token() {
    return fetch(bar.dataset.tokenUrl, { credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "X-Offline-Sync": "1" } }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      return type.indexOf("json") >= 0 ? r.json() : { result: "signin" };
    });
  }

  function send(item, csrf) {
    var body = new URLSearchParams();
    item.fields.forEach(function (f) { body.append(f[0], f[0] === "csrf_token" ? csrf : f[1]); });
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "X-Offline-Sync": "1", "X-CSRFToken": csrf }
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      return type.indexOf("json") >= 0 ? r.json() : { result: "signin" };
    });
  }

  // What the server shows now of the record an action was about (its page's [data-offline-state]).
  function current(item) {
    return fetch(item.url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (html) {
      var el = new DOMParser().parseFromString(html, "text/html").querySelector("[data-offline-state]");
      return el ? el.textContent.replace(/\s+/g, " ").trim() : null;
    }, function () { return null; });
  }

  function sync() {
    if (syncing || !bar || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var sent = 0;
    return all("queue").then(function (items) {
      items = items.filter(function (item) { return item.user === bar.dataset.user; });
      if (!items.length) return null;
      refreshBar();
      return token().then(function (t) {
        if (t.result === "refused") { // the account was deactivated: every waiting action is refused
          return Promise.all(items.map(function (item) {
            sent++;
            return add("results", { item: item, result: "refused", reason: t.reason, now: null, at: Date.now() })
              .then(function () { return remove("queue", item.id); });
          }));
        }
        if (!t.csrf_token) { flash(msg("msgSignin"), "warning"); return null; }
        var chain = Promise.resolve(true);
        items.forEach(function (item) {
          chain = chain.then(function (go) {
            if (!go) return false;
            return send(item, t.csrf_token).then(function (answer) {
              if (answer.result === "signin") { flash(msg("msgSignin"), "warning"); return false; }
              if (answer.result === "retry") return false;
              sent++;
              var result = { item: item, result: answer.result, reason: answer.reason || "", now: answer.now || null,
                at: Date.now() };
              return (answer.result === "conflict" && !answer.now ? current(item) : Promise.resolve(null))
                .then(function (text) { result.nowText = text; return add("results", result); })
                .then(function () { return remove("queue", item.id); })
                .then(function () { return true; });
            }, function () { return false; }); // the connection dropped again: the rest waits
          });
        });
        return chain;
      });
    }).then(function () {
      return sent ? setMeta("lastSync", Date.now()) : null;
    }).then(function () {
      syncing = false;
      return refreshBar();
    }, function () { syncing = false; return refreshBar(); });
  }

  // A conflict comes back with both versions; the agent sends theirs again (against what is there now) or drops it.
  function resend(result) {
    var item = result.item;
    var keep = item.fields.filter(function (f) {
      return f[0] !== "offline_household_version" && f[0] !== "offline_household_id" && f[0] !== "version";
    });
    var versionField = item.fields.filter(function (f) { return f[0] === "version"; })[0];
    var fresh = versionField ? fetch(item.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var v = doc.querySelector("input[name=version]");
        keep.push(["version", v ? v.value : versionField[1]]);
      }) : Promise.resolve();
    return fresh.then(function () {
      keep = keep.filter(function (f) { return f[0] !== "submission_key"; });
      keep.push(["submission_key", randomKey()]);
      var again = { user: item.user, url: item.url, fields: keep, key: keep[keep.length - 1][1], label: item.label,
        page: item.page, state: item.state, at: Date.now() };
      return add("queue", again);
    }).then(function () { return remove("results", result.id); }).then(sync);
  }

  // ---- The day: every page of the agent's work, fetched while online and kept for the service worker.
  function saveDay(force) {
    if (!navigator.onLine || !("caches" in window)) return Promise.resolve();
    return getMeta("day").then(function (day) {
      if (!force && day && day.user === bar.dataset.user && Date.now() - day.at < DAY_MAX_AGE) {
        bar.dataset.day = "ready";
        return null;
      }
      bar.dataset.day = "saving";
      return fetch(bar.dataset.dayUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (info) { return fill(info); });
    }).catch(function () { bar.dataset.day = "failed"; });
  }

  function fill(info) {
    var assets = Array.prototype.map.call(
      document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=manifest], link[rel=icon]"),
      function (el) { return el.getAttribute("href") || el.getAttribute("src"); });
    var urls = info.pages.concat(assets);
    var bytes = 0;
    return caches.open(DAY_CACHE).then(function (cache) {
      var next = 0;
      function worker() {
        if (next >= urls.length) return Promise.resolve();
        var url = urls[next++];
        return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
          if (!r.ok || r.redirected) return null;
          return r.clone().blob().then(function (b) { bytes += b.size; return cache.put(url, r); });
        }).then(worker);
      }
      return Promise.all([worker(), worker(), worker()]).then(function () {
        // Drop what the day no longer holds (households moved to someone else, events over).
        var wanted = {};
        urls.forEach(function (u) { wanted[new URL(u, location.href).href] = true; });
        return cache.keys().then(function (keys) {
          return Promise.all(keys.map(function (k) { return wanted[k.url] ? null : cache.delete(k); }));
        }).then(function () {
          var meta = { user: bar.dataset.user, at: Date.now(), pages: info.pages.length, bytes: bytes,
            expires_at: info.expires_at, parameters: info.parameters, on: info.on,
            calcMessages: info.calc_messages };
          return cache.put(META_URL, new Response(JSON.stringify({ user: meta.user, expires_at: meta.expires_at,
            aliases: info.aliases || {} }),
            { headers: { "Content-Type": "application/json" } })).then(function () { return setMeta("day", meta); });
        });
      });
    }).then(function () {
      bar.dataset.day = "ready";
      return refreshBar();
    });
  }

  // After the session's absolute lifetime (or for another user), the kept pages go.
  function expire() {
    return getMeta("day").then(function (day) {
      if (day && (day.expires_at < Date.now() || day.user !== bar.dataset.user)) {
        return caches.delete(DAY_CACHE).then(function () { return setMeta("day", null); });
      }
      return null;
    });
  }

  // ---- The phone's page (/offline): what it holds, what waits, what came back.
  function textEl(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  function renderPage(queueItems) {
    var held = document.getElementById("offline-state");
    if (!held) return Promise.resolve();
    var q = document.getElementById("offline-queue");
    q.innerHTML = "";
    queueItems.forEach(function (item) { q.appendChild(textEl("li", item.label + " · " + when(item.at))); });
    if (!queueItems.length) q.appendChild(textEl("li", q.dataset.msgEmpty, "muted"));
    return Promise.all([getMeta("day"), all("results")]).then(function (got) {
      var day = got[0], results = got[1].filter(function (r) { return r.item.user === bar.dataset.user; });
      var p = held.querySelector(".offline-held");
      p.textContent = day ? held.dataset.msgHeld.replace("%(pages)s", day.pages).replace("%(size)s", kb(day.bytes))
        .replace("%(when)s", when(day.at)).replace("%(until)s", when(day.expires_at)) : held.dataset.msgNone;
      held.querySelector(".offline-params").textContent = day && day.parameters
        ? held.dataset.msgParams.replace("%(n)s", Object.keys(day.parameters.values || {}).length)
          .replace("%(day)s", day.on.split("-").reverse().join("/")) : "";
      var box = document.getElementById("offline-results");
      var labels = box.dataset;
      box.innerHTML = "";
      results.reverse().slice(0, 200).forEach(function (r) {
        var li = document.createElement("li");
        li.className = "offline-result result-" + r.result;
        var name = { accepted: labels.labelAccepted, duplicate: labels.labelDuplicate, refused: labels.labelRefused,
          conflict: labels.labelConflict }[r.result] || r.result;
        li.appendChild(textEl("strong", r.item.label));
        li.appendChild(textEl("span", " · " + name + " · " + when(r.at)));
        if (r.reason) li.appendChild(textEl("p", r.reason, "reason"));
        if (r.result === "conflict") {
          var sides = document.createElement("div");
          sides.className = "offline-sides";
          var mine = document.createElement("div");
          mine.appendChild(textEl("strong", labels.labelThen));
          mine.appendChild(textEl("p", r.item.state));
          mine.appendChild(textEl("strong", labels.labelYours));
          mine.appendChild(textEl("p", r.item.label));
          var now = document.createElement("div");
          now.appendChild(textEl("strong", labels.labelNow));
          now.appendChild(textEl("p", r.now ? [r.now.head_name, r.now.address, r.now.phone].filter(Boolean).join(" · ")
            : r.nowText || ""));
          sides.appendChild(mine);
          sides.appendChild(now);
          li.appendChild(sides);
          var again = textEl("button", labels.labelResend, "small");
          again.type = "button";
          again.addEventListener("click", function () { resend(r); });
          var drop = textEl("button", labels.labelDrop, "small secondary outline");
          drop.type = "button";
          drop.addEventListener("click", function () { remove("results", r.id).then(refreshBar); });
          li.appendChild(again);
          li.appendChild(drop);
        }
        box.appendChild(li);
      });
      if (!results.length) box.appendChild(textEl("li", box.dataset.msgEmpty, "muted"));
    });
  }

  // A QR code of an invitation opened without signal: the phone shows its own page (the worker's fallback) at
  // the invitation's address; one button queues the check-in for that invitation.
  function offerQrCheckIn() {
    var box = document.getElementById("offline-qr");
    if (!box || location.pathname === bar.dataset.pageUrl) return;
    if (location.pathname.indexOf(box.dataset.prefix) !== 0) { // another page the phone does not keep
      flash(msg("msgNotKept"), "warning");
      return;
    }
    box.hidden = false;
    var button = box.querySelector("button");
    button.addEventListener("click", function () {
      var item = { user: bar.dataset.user, url: location.pathname, fields: [["csrf_token", ""],
        ["submission_key", randomKey()]], key: "", label: box.dataset.label, page: location.pathname, state: "",
        at: Date.now() };
      add("queue", item).then(function () {
        button.disabled = true;
        flash(msg("msgQueued"), "info");
        return refreshBar();
      }).then(sync);
    });
  }

  // The calculator's parameters kept with the day (offline-calc.js computes a sign-up's amount from them).
  window.portalOffline = { day: function () { return getMeta("day"); } };

  // ---- Start.
  function start() {
    bar = document.getElementById("offline-bar");
    if (!bar) return;
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" });
    expire().then(refreshBar).then(function () {
      if (location.pathname === bar.dataset.workUrl) saveDay(false);
      return sync();
    });
    if (!started) {
      started = true;
      window.addEventListener("online", function () { refreshBar(); sync(); });
      window.addEventListener("offline", refreshBar);
    }
    offerQrCheckIn();
    var send = document.getElementById("offline-send");
    if (send) send.addEventListener("click", sync);
    var again = document.getElementById("offline-refresh");
    if (again) again.addEventListener("click", function () { saveDay(true); });
    // Signing out clears the phone (the server says so too, with Clear-Site-Data): warn if actions would be lost.
    document.querySelectorAll("form[action$='/logout']").forEach(function (form) {
      form.addEventListener("submit", function (evt) {
        if (bar.classList.contains("has-pending") && !window.confirm(msg("msgLogout"))) {
          evt.preventDefault();
          return;
        }
        caches.delete(DAY_CACHE);
        indexedDB.deleteDatabase(DB_NAME);
      });
    });
  }

  document.addEventListener("htmx:afterSettle", function (evt) {
    // A boosted navigation swaps the body: pick up the new page's bar and page parts.
    if (evt.detail.boosted || (evt.detail.requestConfig && evt.detail.requestConfig.boosted)) start();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
