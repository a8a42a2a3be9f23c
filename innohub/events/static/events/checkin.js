/* Check-in at the door (events): scan with the phone's camera (getUserMedia + the vendored
   jsQR decoder; Chromium's BarcodeDetector is missing on Linux), type or paste a code, read
   one from a photo, or find the person by name. Each check-in is POSTed; when the network
   is down it is kept in localStorage with the time it was scanned and sent when the network
   returns (the server records each check-in once, so sending twice is harmless). */
(function () {
  "use strict";
  var root = document.getElementById("ev-checkin");
  if (!root) { return; }
  var d = root.dataset;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var result = document.getElementById("ev-result");
  var queueLine = document.getElementById("ev-queue");
  var count = document.getElementById("ev-count");
  var video = document.getElementById("ev-video");
  var canvas = document.getElementById("ev-canvas");
  var startBtn = document.getElementById("ev-camera-start");
  var stopBtn = document.getElementById("ev-camera-stop");
  var stream = null, lastText = "", lastAt = 0;

  function show(message, status) {
    result.textContent = message;
    result.className = "ev-result ev-result-" + status;
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(d.queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    localStorage.setItem(d.queueKey, JSON.stringify(items));
    queueLine.textContent = items.length ? d.msgQueued + " " + items.length : "";
  }
  function post(item) {
    var body = new URLSearchParams();
    Object.keys(item).forEach(function (k) { if (item[k]) { body.append(k, item[k]); } });
    if (d.session) { body.append("session", d.session); }
    return fetch(d.scanUrl, {method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Accept": "application/json"}}).then(function (r) {
        if (r.status >= 500 || r.status === 0) { throw new Error("server"); }
        return r.json();
      });
  }
  function handle(data) {
    show(data.message, data.status);
    if (data.ok) { count.textContent = String(parseInt(count.textContent, 10) + 1); }
  }
  function send(item) {
    item.scanned_at = new Date().toISOString();
    if (!navigator.onLine) { saveQueue(queue().concat([item])); show(d.msgOffline, "offline"); return Promise.resolve(); }
    return post(item).then(handle, function () { saveQueue(queue().concat([item])); show(d.msgOffline, "offline"); });
  }
  var flushing = false;
  function flush() {
    var items = queue();
    if (!items.length || flushing || !navigator.onLine) { return; }
    flushing = true;
    var sent = 0, left = [];
    items.reduce(function (p, item) {
      return p.then(function () {
        return post(item).then(function (data) { sent += 1; if (data.ok) { count.textContent = String(parseInt(count.textContent, 10) + 1); } },
                               function () { left.push(item); });
      });
    }, Promise.resolve()).then(function () {
      saveQueue(left);
      flushing = false;
      if (sent) { show(d.msgSent + " " + sent, "sent"); }
    });
  }
  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  saveQueue(queue());
  flush();

  function scanned(text) {
    var now = Date.now();
    if (text === lastText && now - lastAt < 4000) { return; }  // the same code held in front of the camera
    lastText = text; lastAt = now;
    send({code: text});
  }
  window.innohubCheckinScanned = scanned;  // lets a test feed the decoded text

  function decodeFrom(source, w, h) {
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(source, 0, 0, w, h);
    var img = ctx.getImageData(0, 0, w, h);
    var found = window.jsQR ? window.jsQR(img.data, w, h, {inversionAttempts: "dontInvert"}) : null;
    return found ? found.data : "";
  }
  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      var text = decodeFrom(video, video.videoWidth, video.videoHeight);
      if (text) { scanned(text); }
    }
    requestAnimationFrame(tick);
  }
  startBtn.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { show(d.msgCamera, "error"); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; stopBtn.hidden = false; startBtn.hidden = true;
      video.play(); requestAnimationFrame(tick);
    }, function () { show(d.msgCamera, "error"); });
  });
  stopBtn.addEventListener("click", function () {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null; video.hidden = true; stopBtn.hidden = true; startBtn.hidden = false;
  });
  document.getElementById("ev-code-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("ev-code");
    if (input.value.trim()) { lastText = ""; scanned(input.value.trim()); input.value = ""; }
  });
  document.getElementById("ev-photo").addEventListener("change", function (e) {
    var file = e.target.files && e.target.files[0];
    if (!file) { return; }
    var img = new Image();
    img.onload = function () {
      var scale = Math.min(1, 1200 / Math.max(img.width, img.height));
      var text = decodeFrom(img, Math.round(img.width * scale), Math.round(img.height * scale));
      URL.revokeObjectURL(img.src);
      if (text) { lastText = ""; scanned(text); } else { show(d.msgNocode, "error"); }
      e.target.value = "";
    };
    img.src = URL.createObjectURL(file);
  });
  var found = document.getElementById("ev-found");
  document.getElementById("ev-search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = document.getElementById("ev-q").value.trim();
    var url = d.searchUrl + "?q=" + encodeURIComponent(q) + (d.session ? "&session=" + d.session : "");
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); }).then(function (data) {
      found.textContent = "";
      if (!data.results.length) { var li = document.createElement("li"); li.textContent = d.msgNone; found.appendChild(li); return; }
      data.results.forEach(function (row) {
        var li = document.createElement("li");
        li.className = "card";
        var label = document.createElement("span");
        label.textContent = row.name + (row.organisation ? " – " + row.organisation : "") + " (" + row.state + ")";
        li.appendChild(label);
        var btn = document.createElement("button");
        btn.type = "button"; btn.className = "btn btn-small";
        btn.textContent = row.checked_in ? d.msgDone : d.msgCheckin;
        btn.disabled = row.checked_in;
        var hidden = document.createElement("span"); hidden.className = "visually-hidden"; hidden.textContent = " – " + row.name;
        btn.appendChild(hidden);
        btn.addEventListener("click", function () {
          send({registration: String(row.id)}).then(function () { btn.disabled = true; btn.firstChild.textContent = d.msgDone; });
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(btn);
        found.appendChild(li);
      });
    });
  });
})();
