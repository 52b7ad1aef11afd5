// Logging out clears what the verval pages keep on this device for use without a signal:
// the service worker's copies of the visit forms (names, masked NIK) and the drafts in
// IndexedDB, so the next person using a shared phone finds nothing. Visits still waiting
// for a signal are not dropped silently: the user is asked first.
(function () {
  "use strict";
  var form = document.querySelector("form[data-keluar]");
  if (!form || !window.indexedDB) return;
  var DB = "padu-verval", OUTBOX = "kotak_keluar";

  function waiting() {
    return new Promise(function (resolve) {
      var req = indexedDB.open(DB);
      // No such database: do not create an empty one (kunjungan.js creates its stores).
      req.onupgradeneeded = function () { req.transaction.abort(); };
      req.onsuccess = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(OUTBOX)) { db.close(); resolve(0); return; }
        var count = db.transaction(OUTBOX, "readonly").objectStore(OUTBOX).count();
        count.onsuccess = function () { db.close(); resolve(count.result); };
        count.onerror = function () { db.close(); resolve(0); };
      };
      req.onerror = function () { resolve(0); };
    });
  }

  function clear() {
    var gone = [new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB);
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    })];
    if (window.caches) {
      gone.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("padu-verval-") === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    return Promise.all(gone).catch(function () {});
  }

  var done = false;
  form.addEventListener("submit", function (event) {
    if (done) return;
    event.preventDefault();
    waiting().then(function (n) {
      if (n > 0 && !window.confirm(form.dataset.keluar.replace("{n}", n))) return;
      return clear().then(function () { done = true; form.submit(); });
    });
  });
})();
