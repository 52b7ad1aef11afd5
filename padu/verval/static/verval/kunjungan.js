// The field visit form of the verval cycle, offline first (plain JS, no build, no library).
//
// - The form is built from the JSON the page carries (#kunjungan-data): the register's
//   values, the code lists and the API address.
// - Every change is saved as a draft in IndexedDB (store "draf", one per keluarga), with an
//   idempotency key made once per draft: closing the browser loses nothing.
// - "Kirim" puts the visit in an outbox (store "kotak_keluar") and tries to send it. Without
//   a signal it waits there and is sent on the "online" event, on every page load and every
//   30 s while the page is open (never while the device reports itself offline). The
//   server records one visit per key, so sending twice is safe. 200/201 removes it
//   ("Terkirim"); 400 shows the server's message and keeps the draft.
// - sw.js (registered here, scope /verval/) keeps the page and its static files offline.
(function () {
  "use strict";
  var dataEl = document.getElementById("kunjungan-data");
  var form = document.getElementById("kunjungan");
  if (!dataEl || !form) return;
  var cfg = JSON.parse(dataEl.textContent);
  var keluargaId = cfg.keluarga.id;
  var TEKS = {
    draf: "Draf tersimpan di perangkat ini",
    siap: "Formulir ini tersimpan di perangkat: dapat dibuka lagi tanpa sinyal.",
    belumSiap: "Formulir belum lengkap tersimpan untuk dipakai tanpa sinyal; buka lagi saat ada sinyal.",
    menunggu: "Menunggu sinyal, akan dikirim otomatis.",
    mengirim: "Mengirim…",
    terkirim: "Terkirim",
    sesi: "Sesi Anda sudah berakhir. Masuk lagi; kunjungan tetap tersimpan di perangkat ini " +
      "dan dikirim otomatis setelah Anda membuka formulir ini lagi.",
    server: "Server belum dapat menerima kunjungan (kode {k}); akan dicoba lagi otomatis.",
    pilihHasil: "Pilih hasil kunjungan (kode 1-5) sebelum mengirim.",
    tanpaDb: "Perangkat ini tidak dapat menyimpan draf (penyimpanan peramban tidak tersedia); " +
      "kirim saat ada sinyal.",
    gpsTidak: "Perangkat ini tidak menyediakan lokasi GPS.",
    gpsGagal: "Lokasi tidak dapat diambil: ",
    gpsMencari: "Mencari lokasi…",
  };

  // ---- IndexedDB: two stores, small promise helpers --------------------------------------
  var DRAF = "draf", KELUAR = "kotak_keluar";
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("indexedDB")); return; }
        var req = indexedDB.open("padu-verval", 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore(DRAF, { keyPath: "keluarga" });
          req.result.createObjectStore(KELUAR, { keyPath: "kunci" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function store(name, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(name, mode);
        var req = work(t.objectStore(name));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  function get(name, key) { return store(name, "readonly", function (s) { return s.get(key); }); }
  function put(name, value) { return store(name, "readwrite", function (s) { s.put(value); }); }
  function del(name, key) { return store(name, "readwrite", function (s) { s.delete(key); }); }
  function all(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // ---- Messages ---------------------------------------------------------------------------
  var statusEl = document.getElementById("kj-status");
  var drafEl = document.getElementById("kj-draf");
  function show(el, text, kind) {
    el.textContent = text;
    el.className = "note" + (kind ? " " + kind : "");
    el.hidden = !text;
  }
  function status(text, kind) { show(statusEl, text, kind); }

  // ---- Building the form from the register's values ---------------------------------------
  function raw(value) {
    if (value === null || value === undefined) return "";
    if (value === true) return "1";
    if (value === false) return "0";
    return String(value);
  }
  function typed(kind, text) {
    text = (text || "").trim();
    if (kind === "teks") return text;
    if (text === "") return null;
    if (kind === "ya") return text === "1";
    if (kind === "kode" || kind === "angka") {
      var n = Number(text.replace(",", "."));
      return isFinite(n) ? n : text;
    }
    return text; // tanggal: YYYY-MM-DD
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text) node.textContent = text;
    return node;
  }
  var serial = 0;
  // One labelled control; name "k:<col>" (family), "a:<id>:<col>" (member), "b:<n>:<col>" (new).
  function control(name, spec, value) {
    var col = spec[0], label = spec[1], kind = spec[2];
    var id = "kj-f" + (serial += 1);
    var wrap = el("div");
    wrap.appendChild(el("label", { for: id }, label));
    var input;
    if (kind === "kode" || kind === "ya") {
      input = el("select", { id: id, name: name });
      var options = kind === "ya" ? [["1", "Ya"], ["0", "Tidak"]] : cfg.kode[col];
      input.appendChild(el("option", { value: "" }, "-"));
      options.forEach(function (o) { input.appendChild(el("option", { value: String(o[0]) }, o[1])); });
    } else {
      input = el("input", { id: id, name: name, autocomplete: "off" });
      if (kind === "angka") { input.type = "text"; input.setAttribute("inputmode", "decimal"); }
      else if (kind === "tanggal") input.type = "date";
      else input.type = "text";
    }
    input.value = raw(value);
    input.setAttribute("data-asli", raw(value));
    input.setAttribute("data-jenis", kind);
    wrap.appendChild(input);
    return wrap;
  }
  var famBox = document.getElementById("kj-keluarga");
  cfg.bidang.keluarga.forEach(function (group, i) {
    var box = el("details");
    if (i === 0) box.open = true;
    box.appendChild(el("summary", {}, group[0]));
    group[1].forEach(function (spec) { box.appendChild(control("k:" + spec[0], spec, cfg.keluarga[spec[0]])); });
    famBox.appendChild(box);
  });
  var KEBERADAAN = [["", "Masih anggota rumah tangga ini"], ["meninggal", "Meninggal"], ["pindah", "Pindah / tidak tinggal di sini"]];
  cfg.anggota.forEach(function (person) {
    var item = document.querySelector("[data-anggota='" + person.id + "']");
    if (!item) return;
    var box = item.querySelector(".edit");
    var id = "kj-ada-" + person.id;
    box.appendChild(el("label", { for: id }, "Keberadaan"));
    var sel = el("select", { id: id, name: "a:" + person.id + ":keberadaan", "data-asli": "", "data-jenis": "teks" });
    KEBERADAAN.forEach(function (o) { sel.appendChild(el("option", { value: o[0] }, o[1])); });
    box.appendChild(sel);
    var more = el("details");
    more.appendChild(el("summary", {}, "Periksa / ubah data"));
    cfg.bidang.anggota.forEach(function (spec) { more.appendChild(control("a:" + person.id + ":" + spec[0], spec, person[spec[0]])); });
    box.appendChild(more);
  });
  var baruBox = document.getElementById("kj-baru");
  var baru = []; // numbers of the new-member blocks on the page
  function addNew(n) {
    baru.push(n);
    var box = el("fieldset", { "data-baru": String(n) });
    box.appendChild(el("legend", {}, "Anggota baru"));
    cfg.bidang.anggota_baru.forEach(function (spec) { box.appendChild(control("b:" + n + ":" + spec[0], spec, null)); });
    var remove = el("button", { type: "button" }, "Hapus anggota baru ini");
    remove.addEventListener("click", function () {
      baru = baru.filter(function (x) { return x !== n; });
      box.remove();
      saveSoon();
    });
    box.appendChild(el("p")).appendChild(remove);
    baruBox.appendChild(box);
  }

  // ---- Draft: what is on the form, saved on every change ----------------------------------
  var draft = { keluarga: keluargaId, kunci: newKey(), tugas: cfg.tugas, gps: null };
  var sent = false;
  function fields() { return Array.prototype.slice.call(form.querySelectorAll("[name]")); }
  function snapshot() {
    var values = {};
    fields().forEach(function (f) {
      if (f.name === "csrfmiddlewaretoken" || f.name === "hasil") return;
      values[f.name] = f.value;
    });
    var checked = form.querySelector("input[name=hasil]:checked");
    draft.hasil = checked ? Number(checked.value) : null;
    draft.nilai = values;
    draft.baru = baru.slice();
    draft.diubah = new Date().toISOString();
    return draft;
  }
  function mark() {
    fields().forEach(function (f) {
      if (!f.hasAttribute("data-asli")) return;
      f.classList.toggle("changed", f.value !== f.getAttribute("data-asli"));
    });
  }
  var dbBroken = false;
  function saveDraft() {
    if (sent) return Promise.resolve();
    snapshot();
    return put(DRAF, draft).then(function () {
      show(drafEl, TEKS.draf + " (" + new Date(draft.diubah).toLocaleTimeString("id-ID") + ").", "");
    }, function () {
      if (!dbBroken) { dbBroken = true; show(drafEl, TEKS.tanpaDb, "warn"); }
    });
  }
  var timer = null;
  function saveSoon() {
    mark();
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 200);
  }
  function restore(saved) {
    draft = saved;
    if (!draft.kunci) draft.kunci = newKey();
    (saved.baru || []).forEach(addNew);
    var values = saved.nilai || {};
    fields().forEach(function (f) {
      if (Object.prototype.hasOwnProperty.call(values, f.name)) f.value = values[f.name];
    });
    if (saved.hasil) {
      var radio = form.querySelector("input[name=hasil][value='" + saved.hasil + "']");
      if (radio) radio.checked = true;
    }
    showGps();
    mark();
    show(drafEl, TEKS.draf + " (" + new Date(saved.diubah).toLocaleString("id-ID") + ").", "");
    if (saved.pesan) status(saved.pesan, "error");
  }
  form.addEventListener("input", saveSoon);
  form.addEventListener("change", saveSoon);
  document.getElementById("kj-tambah").addEventListener("click", function () {
    addNew(baru.length ? Math.max.apply(null, baru) + 1 : 0);
    saveSoon();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) { clearTimeout(timer); saveDraft(); }
  });

  // ---- GPS (optional) ---------------------------------------------------------------------
  var lokasiEl = document.getElementById("kj-lokasi");
  function showGps() {
    if (draft.gps) {
      lokasiEl.textContent = draft.gps.lintang.toFixed(5) + ", " + draft.gps.bujur.toFixed(5) +
        " (±" + Math.round(draft.gps.akurasi || 0) + " m)";
    }
  }
  document.getElementById("kj-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { lokasiEl.textContent = TEKS.gpsTidak; return; }
    lokasiEl.textContent = TEKS.gpsMencari;
    navigator.geolocation.getCurrentPosition(function (pos) {
      draft.gps = { lintang: pos.coords.latitude, bujur: pos.coords.longitude, akurasi: pos.coords.accuracy };
      showGps();
      saveDraft();
    }, function (err) {
      lokasiEl.textContent = TEKS.gpsGagal + (err.code === 1 ? "izin lokasi ditolak." : "sinyal GPS tidak ada, coba di luar ruangan.");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // ---- What is sent: only what differs from the register ----------------------------------
  function payload() {
    snapshot();
    var data = { keluarga: {}, anggota: [], anggota_baru: [] };
    fields().forEach(function (f) {
      var asli = f.getAttribute("data-asli");
      if (asli === null || f.value === asli) return;
      var parts = f.name.split(":");
      var kind = f.getAttribute("data-jenis");
      if (parts[0] === "k") data.keluarga[parts[1]] = typed(kind, f.value);
    });
    cfg.anggota.forEach(function (person) {
      var row = { id: person.id }, changed = false;
      fields().forEach(function (f) {
        var parts = f.name.split(":");
        if (parts[0] !== "a" || Number(parts[1]) !== person.id) return;
        if (f.value === f.getAttribute("data-asli")) return;
        row[parts[2]] = parts[2] === "keberadaan" ? f.value : typed(f.getAttribute("data-jenis"), f.value);
        changed = true;
      });
      if (changed) data.anggota.push(row);
    });
    baru.forEach(function (n) {
      var row = {};
      cfg.bidang.anggota_baru.forEach(function (spec) {
        var f = form.elements["b:" + n + ":" + spec[0]];
        var value = f ? typed(spec[2], f.value) : null;
        if (value !== null && value !== "") row[spec[0]] = value;
      });
      if (row.nama) data.anggota_baru.push(row);
    });
    var body = {
      kunci: draft.kunci, keluarga_id: keluargaId, hasil: draft.hasil, data: data,
      tugas_id: draft.tugas || null, dikunjungi_pada: new Date().toISOString(),
      catatan: form.elements.catatan.value,
    };
    if (draft.gps) { body.lintang = draft.gps.lintang; body.bujur = draft.gps.bujur; body.akurasi = draft.gps.akurasi; }
    return body;
  }

  // ---- Outbox ------------------------------------------------------------------------------
  function token() { return form.elements.csrfmiddlewaretoken.value; }
  function freshToken() {
    // A page kept offline may carry an old CSRF token (the session was renewed): fetch the
    // page again for the current one.
    return fetch(location.pathname + location.search, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var m = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
        if (m) form.elements.csrfmiddlewaretoken.value = m[1];
        return !!m;
      });
  }
  function post(entry) {
    return fetch(cfg.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token() },
      body: JSON.stringify(entry.payload),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { code: r.status, body: body }; });
    });
  }
  function detail(body) {
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) {
      return "Isian tidak valid: " + body.detail.map(function (d) { return (d.loc || []).slice(-1)[0] + " " + d.msg; }).join("; ");
    }
    return "";
  }
  function mine(entry) { return entry.keluarga === keluargaId; }
  function done(entry, answer) {
    return del(KELUAR, entry.kunci).then(function () { return get(DRAF, entry.keluarga); }).then(function (d) {
      if (d && d.kunci === entry.kunci) return del(DRAF, entry.keluarga);
    }).then(function () {
      if (!mine(entry)) return;
      sent = true;
      var b = answer.body;
      var text = TEKS.terkirim + ": kunjungan #" + b.id + (b.duplikat ? " (sudah tercatat sebelumnya)" : "") +
        (b.usulan && b.usulan.length ? ", " + b.usulan.length + " usulan dibuat." : ".");
      status(text, "ok");
      show(drafEl, "", "");
      Array.prototype.forEach.call(form.elements, function (f) { f.disabled = true; });
    });
  }
  function refused(entry, message) {
    // The server will not take it as it is: out of the outbox, back to the draft to correct.
    return del(KELUAR, entry.kunci).then(function () { return get(DRAF, entry.keluarga); }).then(function (d) {
      if (d && d.kunci === entry.kunci) { d.pesan = message; return put(DRAF, d); }
    }).then(function () {
      if (mine(entry)) { draft.pesan = message; status(message, "error"); }
    });
  }
  function sendOne(entry, retried) {
    return post(entry).then(function (answer) {
      var message = detail(answer.body);
      if (answer.code === 200 || answer.code === 201) return done(entry, answer);
      if (answer.code === 403 && /CSRF/i.test(message) && !retried) {
        return freshToken().then(function (ok) { return ok ? sendOne(entry, true) : "tunggu"; });
      }
      if (answer.code === 401) { if (mine(entry)) status(TEKS.sesi, "warn"); return "tunggu"; }
      if (answer.code === 429 || answer.code >= 500) {
        if (mine(entry)) status(TEKS.server.replace("{k}", answer.code), "warn");
        return "tunggu";
      }
      return refused(entry, message || "Kunjungan ditolak server (kode " + answer.code + ").");
    }, function () {
      if (mine(entry)) status(TEKS.menunggu, "warn");
      return "sinyal";
    });
  }
  var sending = null;
  function flush() {
    if (sending) return sending;
    // The device says it has no network at all: nothing can leave, so do not try (a "true"
    // may still be a lie, which the failed fetch below catches).
    if (navigator.onLine === false) {
      return all(KELUAR).then(function (entries) {
        if (entries.some(mine)) status(TEKS.menunggu, "warn");
      }).catch(function () {});
    }
    sending = all(KELUAR).then(function (entries) {
      entries.sort(function (a, b) { return a.dibuat - b.dibuat; });
      var chain = Promise.resolve();
      var noSignal = false;
      entries.forEach(function (entry) {
        chain = chain.then(function () {
          if (noSignal) return;
          if (mine(entry)) status(TEKS.mengirim, "");
          return sendOne(entry, false).then(function (r) { if (r === "sinyal") noSignal = true; });
        });
      });
      return chain;
    }).catch(function () { /* storage unavailable: nothing queued */ }).then(function () { sending = null; });
    return sending;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sent) return;
    var body = payload();
    if (!body.hasil) { status(TEKS.pilihHasil, "error"); return; }
    delete draft.pesan;
    var entry = { kunci: draft.kunci, keluarga: keluargaId, payload: body, halaman: location.pathname, dibuat: Date.now() };
    saveDraft().then(function () { return put(KELUAR, entry); }).then(function () {
      status(navigator.onLine ? TEKS.mengirim : TEKS.menunggu, navigator.onLine ? "" : "warn");
      return flush();
    }, function () {
      // No storage on this device: try to send directly.
      return sendOne(entry, false);
    });
  });
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);

  // ---- Start: restore the draft, show what waits in the outbox, send it --------------------
  get(DRAF, keluargaId).then(function (saved) {
    if (saved) restore(saved);
    return get(KELUAR, draft.kunci);
  }).then(function (waiting) {
    if (waiting) status(TEKS.menunggu, "warn");
  }).catch(function () {
    dbBroken = true;
    show(drafEl, TEKS.tanpaDb, "warn");
  }).then(flush);

  // ---- Service worker: this page and its static files, offline -----------------------------
  if ("serviceWorker" in navigator && cfg.sw) {
    var scope = cfg.sw.replace(/[^/]*$/, "");
    var siapEl = document.getElementById("kj-siap");
    navigator.serviceWorker.addEventListener("message", function (event) {
      var d = event.data || {};
      if (typeof d.tersimpan !== "number" || !siapEl) return;
      var ready = d.tersimpan === d.dari;
      show(siapEl, ready ? TEKS.siap : TEKS.belumSiap, ready ? "" : "warn");
      siapEl.setAttribute("data-siap", ready ? "ya" : "tidak");
    });
    navigator.serviceWorker.register(cfg.sw, { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = [location.href];
      document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (n) { urls.push(n.src || n.href); });
      if (reg.active) reg.active.postMessage({ simpan: urls });
    }).catch(function () { /* no offline copy; the form still works online */ });
  }
})();
