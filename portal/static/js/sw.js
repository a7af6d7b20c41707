// The portal's service worker: when the network fails, pages of the agent's day are answered from the copy
// offline.js saved in the "portal-day" cache. Online, the network always answers (and refreshes the copy).
// Nothing is cached here that offline.js did not fetch for the signed-in agent; the copy is dropped after the
// session's absolute lifetime, and signing out clears it (Clear-Site-Data).
"use strict";

var DAY_CACHE = "portal-day";
var META_URL = "/offline/meta.json";
var NEVER = ["/offline/token", "/offline/day", "/sw.js", "/logout", "/login"];

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (evt) { evt.waitUntil(self.clients.claim()); });

function meta(cache) {
  return cache.match(META_URL).then(function (r) { return r ? r.json() : null; });
}

function fromDay(request) {
  return caches.open(DAY_CACHE).then(function (cache) {
    return meta(cache).then(function (day) {
      if (!day || day.expires_at < Date.now()) return caches.delete(DAY_CACHE).then(function () { return null; });
      var url = new URL(request.url);
      var alias = day.aliases && day.aliases[url.pathname + url.search];
      if (alias) request = new Request(alias);
      return cache.match(request, { ignoreVary: true }).then(function (hit) {
        // A household's page is kept once, whichever list it was opened from (?next=...).
        return hit || (new URL(request.url).pathname.indexOf("/my/assignments/") === 0
          ? cache.match(request, { ignoreVary: true, ignoreSearch: true }) : null);
      });
    });
  });
}

self.addEventListener("fetch", function (evt) {
  var request = evt.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.indexOf(url.pathname) >= 0) return;
  var page = request.mode === "navigate" || request.headers.get("HX-Boosted") === "true";
  var fragment = request.headers.get("HX-Request") === "true" && !page;
  evt.respondWith(fetch(request).then(function (response) {
    // Keep a page of the day fresh when it is opened online (never a fragment under the page's address).
    if (!fragment && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(DAY_CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) { return hit && cache.put(request, copy); });
      });
    }
    return response;
  }, function () {
    if (fragment) return new Response("", { status: 503 });
    return fromDay(request).then(function (hit) {
      if (hit) return hit;
      if (!page) return new Response("", { status: 503 });
      return fromDay(new Request("/offline")).then(function (shell) {
        return shell || new Response("", { status: 503 });
      });
    });
  }));
});
