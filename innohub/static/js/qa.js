/* Q&A: suggestions of published answers while a question is typed, and the progress
   of a knowledge-base document being split. Progressive: the pages work without it (a question's
   staff page keeps the answer as typed by HTML alone: its forms belong to the answer's form, all
   but the merge box, which carries it with this script). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (form) {
    var textarea = form.querySelector("textarea[name=text]");
    var box = form.querySelector(".qa-suggestions");
    var list = document.getElementById("qa-suggestions");
    var status = document.getElementById("qa-suggestions-status");
    var script = document.currentScript || document.querySelector("script[src*='qa.js']");
    // "{n} published answers may answer your question…", singular and plural from the template
    var foundOne = (script && script.getAttribute("data-found-one")) || "";
    var foundOther = (script && script.getAttribute("data-found-other")) || foundOne;
    var timer = null, last = "", controller = null, shown = "";
    var render = function (results) {
      // the same answers again (a later keystroke's lookup) keep their links, only what they
      // quote may change: rebuilt, the list lost the focus of a reader who had just tabbed to one
      var key = results.map(function (r) { return r.url; }).join("\n");
      if (key === shown && results.length) {
        results.forEach(function (r, i) {
          var quoted = list.children[i] && list.children[i].querySelector(".qa-suggestion-answer");
          if (quoted) { quoted.textContent = r.answer || ""; }
        });
        return;
      }
      shown = key;
      list.textContent = "";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.question;
        // the answers are in their asker's language, not always the page's
        if (r.language && r.language !== document.documentElement.lang) { a.lang = r.language; }
        var topic = document.createElement("span");
        topic.className = "muted small";
        topic.textContent = " · " + r.topic;
        li.appendChild(a);
        li.appendChild(topic);
        // what the answer says, from the sentence that matched: often the answer itself
        if (r.answer) {
          var said = document.createElement("p");
          said.className = "small qa-suggestion-answer";
          said.textContent = r.answer;
          if (a.lang) { said.lang = a.lang; }
          li.appendChild(said);
        }
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
      status.textContent = results.length ? (results.length === 1 ? foundOne : foundOther).replace("{n}", results.length) : "";
    };
    var lookup = function () {
      var q = textarea.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 3) { render([]); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(form.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(q.slice(0, 500)),
            { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(function () {});
    };
    if (textarea && list) {
      textarea.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookup, 250);
      });
      // text already there when this runs (typed while the page was still loading, kept by the
      // browser on going back, or carried over from a search that found nothing) is looked up too
      if (textarea.value.trim()) { lookup(); }
    }
  }
  // The merge box is a form of its own, so that Enter in its code box merges rather than
  // saves the answer: on its way it takes the answer as typed (draft_text), kept before the
  // merge as every other button of the page keeps it.
  document.querySelectorAll("form[data-carries-answer]").forEach(function (own) {
    own.addEventListener("submit", function () {
      var answer = document.getElementById(own.getAttribute("data-carries-answer"));
      if (!answer) { return; }
      [["text", "draft_text"], ["public_question", "draft_public_question"]].forEach(function (names) {
        var field = answer.elements.namedItem(names[0]);
        if (!field) { return; }
        var carried = own.querySelector("input[type=hidden][name=" + names[1] + "]");
        if (!carried) {
          carried = document.createElement("input");
          carried.type = "hidden";
          carried.name = names[1];
          own.appendChild(carried);
        }
        carried.value = field.value;
      });
    });
  });
  var progress = document.querySelector(".qa-progress[data-progress-url]");
  if (progress && ["pending", "processing"].indexOf(progress.getAttribute("data-status")) >= 0) {
    var poll = function () {
      fetch(progress.getAttribute("data-progress-url"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          progress.textContent = (d.status_label || d.status) + " (" + d.progress + "%)";
          if (d.status === "ready" || d.status === "failed") { window.location.reload(); }
          else { setTimeout(poll, 1500); }
        })
        .catch(function () {});
    };
    setTimeout(poll, 1500);
  }
})();
