// Service worker of the verval pages (served at /verval/sw.js, scope /verval/): the field
// visit form opens without a signal once it has been opened with one.
//
// - Form pages (/verval/kunjungan/<id>/): network first, the last copy from the cache when
//   there is no network (any ?tugas= of the same family will do).
// - Static files (/static/): cache first when the name carries a content hash (never
//   changes); otherwise the cached copy at once, refreshed in the background.
// - The page posts {simpan: [urls]} after registering, so that the very first visit (made
//   before this worker controlled the page) is kept too.
// Drafts and the outbox live in IndexedDB (kunjungan.js), not here.
"use strict";
var VERSI = "padu-verval-1";
var HALAMAN = VERSI + "-halaman";
var STATIS = VERSI + "-statis";
var FORM = /^\/verval\/kunjungan\/\d+\/$/;
var HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;
var OFFLINE =
  "<!doctype html><html lang=id><meta charset=utf-8>" +
  "<meta name=viewport content='width=device-width, initial-scale=1'><title>Tidak ada sinyal</title>" +
  "<body style='font:16px system-ui,sans-serif;padding:1rem'><h1>Tidak ada sinyal</h1>" +
  "<p>Halaman ini belum pernah dibuka di perangkat ini, jadi belum tersimpan untuk dipakai " +
  "tanpa sinyal. Buka sekali saat ada sinyal; sesudah itu halaman dapat dibuka tanpa sinyal.</p>";

function isStatic(url) { return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0; }
function isForm(url) { return url.origin === self.location.origin && FORM.test(url.pathname); }
function keep(res) { return res && res.ok && res.type === "basic" && !res.redirected; }

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("padu-verval-") === 0 && n.indexOf(VERSI + "-") !== 0;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(name, url) {
  return caches.open(name).then(function (cache) {
    return cache.match(url).then(function (hit) { return hit || cache.match(url, { ignoreSearch: true }); });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (res) {
    if (keep(res)) {
      var copy = res.clone();
      caches.open(HALAMAN).then(function (cache) { return cache.put(request.url, copy); });
    } else if (res.status === 403 || res.status === 404) {
      // No longer the user's to see: drop the copy kept on the device.
      caches.open(HALAMAN).then(function (cache) { return cache.delete(request.url); });
    }
    return res;
  }, function () {
    return fromCache(HALAMAN, request.url).then(function (hit) {
      return hit || new Response(OFFLINE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function refresh(cache, request) {
  return fetch(request).then(function (res) {
    if (keep(res)) cache.put(request.url, res.clone());
    return res;
  });
}

function cacheFirst(request, background) {
  return caches.open(STATIS).then(function (cache) {
    return cache.match(request.url).then(function (hit) {
      if (!hit) return refresh(cache, request);
      if (background) background(refresh(cache, request).catch(function () {}));
      return hit;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (request.mode === "navigate" && isForm(url)) {
    event.respondWith(networkFirst(request));
  } else if (isStatic(url)) {
    var background = HASHED.test(url.pathname) ? null : function (p) { event.waitUntil(p); };
    event.respondWith(cacheFirst(request, background));
  }
});

// {simpan: [url, ...]}: keep these pages and static files if not kept yet, then tell the
// page how many of them are kept ({tersimpan: n, dari: m}), so that it can say whether the
// form will open without a signal.
function keepOne(text) {
  var url = new URL(text, self.location.href);
  var name = isForm(url) ? HALAMAN : isStatic(url) ? STATIS : null;
  if (!name) return Promise.resolve(false);
  return caches.open(name).then(function (cache) {
    return cache.match(url.href).then(function (hit) {
      if (hit) return true;
      return fetch(url.href, { credentials: "same-origin" }).then(function (res) {
        if (!keep(res)) return false;
        return cache.put(url.href, res).then(function () { return true; });
      });
    });
  }).catch(function () { return false; });
}

self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.simpan) || [];
  var wanted = urls.filter(function (text) {
    var url = new URL(text, self.location.href);
    return isForm(url) || isStatic(url);
  });
  event.waitUntil(Promise.all(wanted.map(keepOne)).then(function (kept) {
    var n = kept.filter(Boolean).length;
    if (event.source) event.source.postMessage({ tersimpan: n, dari: wanted.length });
  }));
});
