// programs: autosave of application drafts. Without JavaScript the Save button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.prog-autosave");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".prog-autosave-status");
  var timer = null;
  var lang = document.documentElement.lang || "vi";
  var words = lang === "en"
    ? { saving: "Saving…", saved: "Saved", failed: "Not saved: check the highlighted answers." }
    : { saving: "Đang lưu…", saved: "Đã lưu", failed: "Chưa lưu được: kiểm tra các câu trả lời." };
  function save() {
    if (status) { status.textContent = words.saving; }
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
      .then(function (res) { if (status) { status.textContent = res.ok && res.d.saved ? words.saved + " " + new Date().toLocaleTimeString(lang) : words.failed; } })
      .catch(function () { if (status) { status.textContent = words.failed; } });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 1500); });
})();
