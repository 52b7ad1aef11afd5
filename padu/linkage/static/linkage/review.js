// Review queue shortcuts: s = sama, b = beda, l = lewati (not while typing in a field).
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
  var button = document.querySelector('#form-putusan button[data-key="' + event.key.toLowerCase() + '"]');
  if (!button || button.disabled) return;
  event.preventDefault();
  var form = button.form;
  form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  if (window.htmx) {
    var values = { keputusan: button.value };
    window.htmx.ajax("POST", form.getAttribute("hx-post"), {
      source: form, target: "#tinjauan", swap: "outerHTML", values: values,
    });
  } else {
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "keputusan"; hidden.value = button.value;
    form.appendChild(hidden);
    form.submit();
  }
});
