// Check-in by the invitation's QR code, with the phone's camera, on the attendance page (section#scan). The
// browser's BarcodeDetector reads the code where it can, otherwise jsQR (vendor/jsqr, loaded when first needed
// and kept on the phone with the day's pages). Online the server decides (scan form, answered in #scan-result);
// without signal the phone's copy of the event's invitations does: a foreign code is refused, a household
// already present or waiting is a duplicate, otherwise the row's check-in is queued like a tap (offline.js).
(function () {
  "use strict";

  var box = null, video = null, result = null, stream = null, decoder = null;
  var running = false, busy = false, last = null, canvas = null;
  var TOKEN = /(?:^|\/checkin\/)([A-Za-z0-9_-]{8,64})\/?$/;

  function msg(name, who) { return (box.dataset[name] || "").replace("%(name)s", who || ""); }

  function say(state, text) {
    result.textContent = text;
    result.dataset.result = state;
    var kind = { refused: "error", checked: "success", queued: "info", duplicate: "warning" }[state];
    result.className = "scan-result" + (kind ? " flash flash-" + kind : "");
  }

  function offline() {
    return !navigator.onLine || !!document.querySelector("#offline-bar.has-pending");
  }

  // ---- Reading the code: the browser's own detector, or jsQR on a frame drawn to a canvas.
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("decoder")); };
      document.head.appendChild(s);
    });
  }

  function jsQrDecoder() {
    return loadScript(box.dataset.decoder).then(function () {
      canvas = canvas || document.createElement("canvas");
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) return Promise.resolve(null);
        var scale = Math.min(1, 640 / w);
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, canvas.width, canvas.height, { inversionAttempts: "attemptBoth" });
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function getDecoder() {
    if (decoder) return Promise.resolve(decoder);
    var native = "BarcodeDetector" in window
      ? window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) return null;
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }, function () { return null; })
      : Promise.resolve(null);
    return native.then(function (found) { return found || jsQrDecoder(); }).then(function (d) {
      decoder = d;
      return d;
    });
  }

  // ---- What a code read does.
  function handle(text) {
    if (text === last) return; // the same code still in front of the camera
    last = text;
    var match = TOKEN.exec(text.trim());
    var codes = JSON.parse(box.dataset.codes || "{}");
    var id = match ? codes[match[1]] : undefined;
    var form = document.getElementById("scan-form");
    if (!match) { say("refused", msg("msgForeign")); return; }
    form.elements.code.value = text;
    if (!offline()) { // the server decides (an invitation made after this page was opened too)
      say("sending", msg("msgSending"));
      form.requestSubmit();
      return;
    }
    if (!document.getElementById("offline-bar")) { // no queue on this phone (an officer's): nothing to keep it in
      say("refused", document.body.dataset.msgOffline || "");
      last = null;
      return;
    }
    if (id === undefined) { say("refused", msg("msgForeign")); return; }
    var row = document.querySelector('#invited tr[data-invitation="' + id + '"]');
    var name = row ? row.dataset.name : "";
    if (row && row.classList.contains("offline-queued")) { say("duplicate", msg("msgWaiting", name)); return; }
    var rowForm = row && row.querySelector("form[data-offline]");
    if (row && !rowForm) { say("duplicate", msg("msgDone", name)); return; }
    say("queued", msg("msgQueued", name));
    (rowForm || form).requestSubmit(); // queued by offline.js, with a key of its own
    if (row) {
      row.classList.add("offline-queued");
      row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }
  }

  function tick() {
    if (!running) return;
    if (!video.isConnected) { stop(); return; } // the page was left
    if (busy || video.readyState < 2) { setTimeout(tick, 150); return; }
    busy = true;
    decoder().then(function (text) {
      busy = false;
      if (text) handle(text);
      setTimeout(tick, 150);
    }, function () { busy = false; setTimeout(tick, 150); });
  }

  function stop() {
    running = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    if (!box) return;
    box.dataset.camera = "off";
    video.hidden = true;
    box.querySelector(".scan-stop").hidden = true;
  }

  function start() {
    last = null; // "scan" again reads the code in front of the camera again
    if (running) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("refused", msg("msgNoCamera")); return; }
    getDecoder().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          return video.play();
        }).then(function () {
          running = true;
          box.dataset.camera = "on";
          box.querySelector(".scan-stop").hidden = false;
          say("looking", msg("msgLooking"));
          tick();
        }, function () { stop(); say("refused", msg("msgNoCamera")); });
    }, function () { say("refused", msg("msgNoDecoder")); });
  }

  function init() {
    var found = document.getElementById("scan");
    if (!found || found.dataset.bound) return;
    if (box && box !== found) stop();
    box = found;
    box.dataset.bound = "1";
    video = box.querySelector(".scan-video");
    result = document.getElementById("scan-result");
    box.querySelector(".scan-start").addEventListener("click", start);
    box.querySelector(".scan-stop").addEventListener("click", stop);
  }

  document.addEventListener("htmx:afterSettle", function () {
    // The answer replaces #scan-result; a boosted navigation may bring a new scanner.
    if (box) result = document.getElementById("scan-result") || result;
    init();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
