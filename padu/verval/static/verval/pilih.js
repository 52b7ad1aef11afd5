// "Pilih semua" on the approval page: checks every usulan box (no framework).
document.addEventListener("change", function (e) {
  if (!e.target.matches("[data-check-all]")) return;
  document.querySelectorAll("input[name=usulan]").forEach(function (b) { b.checked = e.target.checked; });
});
