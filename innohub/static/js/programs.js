// programs: autosave of application drafts. Without JavaScript the Save button does the same.
// The status line's words come from the page (data-*), translated like the rest of it.
(function () {
  "use strict";
  var form = document.querySelector("form.prog-autosave");
  var status = form && form.querySelector(".prog-autosave-status");
  if (!status || !window.fetch) { return; }
  var timer = null;
  var lang = document.documentElement.lang || "vi";
  function say(text) { status.textContent = text; }
  // "Team size: Enter a whole number." for each answer the server refused, by its field's label,
  // so the status says what to correct (the fields are only marked after Save)
  function problems(errors) {
    return Object.keys(errors || {}).map(function (key) {
      var field = form.elements["answer_" + key] || form.elements[key];
      var label = field && field.labels && field.labels[0];
      var name = label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : "";
      return (name ? name + ": " : "") + errors[key];
    });
  }
  function failed(errors) {
    var list = problems(errors);
    say(list.length ? status.dataset.failedBecause + " " + list.join(" ") : status.dataset.failed);
  }
  function save() {
    say(status.dataset.saving);
    // the answers only: a chosen file goes with a button press (Attach, Save or Submit), not with each keystroke
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) { data.delete(input.name); });
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
      .then(function (res) {
        if (res.ok && res.d.saved) { say(status.dataset.saved + " " + new Date().toLocaleTimeString(lang)); } else { failed(res.d.errors); }
      })
      .catch(function () { failed(null); });
  }
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") { return; }
    clearTimeout(timer); timer = setTimeout(save, 1500);
  });
  // answers typed while the page was still loading (before this listener) differ from what the
  // page was sent with: they are saved as well, not only at the next keystroke
  var changed = Array.prototype.some.call(form.elements, function (el) {
    if (el.type === "file" || el.type === "hidden") { return false; }
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.options) {
      // a list sent with nothing marked shows its first choice
      var marked = Array.prototype.some.call(el.options, function (o) { return o.defaultSelected; });
      if (!marked) { return el.multiple ? el.selectedIndex >= 0 : el.selectedIndex > 0; }
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return "defaultValue" in el && el.value !== el.defaultValue;
  });
  if (changed) { timer = setTimeout(save, 1500); }
})();
