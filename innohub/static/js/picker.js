// The directory's picker (innohub/directory/pickers.py): the search box becomes a WAI-ARIA
// combobox with a listbox of suggestions from the staff's endpoint (arrows move, Enter chooses,
// Escape closes; the count is announced), and each chosen item a chip whose button removes it.
// Without JavaScript the form still works: the server resolves the typed name when it is sent.
// Every picker's widget loads this file; it runs once.
(function () {
  "use strict";
  if (window.innohubPicker) { return; }
  window.innohubPicker = true;

  var fmt = function (template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) { return values[key] !== undefined ? String(values[key]) : match; });
  };

  var setup = function (root) {
    if (root.getAttribute("data-picker-ready")) { return; }
    root.setAttribute("data-picker-ready", "1");
    var input = root.querySelector(".picker-input");
    var chosen = root.querySelector(".picker-chosen");
    var name = root.getAttribute("data-name");
    var multiple = root.getAttribute("data-multiple") === "1";
    var text = function (key) { return root.getAttribute("data-" + key) || ""; };
    var listbox = document.createElement("ul");
    listbox.id = input.id + "_listbox";
    listbox.className = "picker-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", text("suggestions"));
    listbox.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(listbox);
    root.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    var announce = function (message) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 60);
    };
    var chosenIds = function () {
      return Array.prototype.map.call(chosen.querySelectorAll("input[name]"), function (box) { return box.value; });
    };
    var chip = function (li, id, label) {
      li.className = "picker-chip";
      li.textContent = "";
      var span = document.createElement("span");
      span.textContent = label;
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.value = id;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker-remove";
      remove.setAttribute("aria-label", fmt(text("remove"), {name: label}));
      remove.textContent = "✕";
      remove.addEventListener("click", function () {
        li.parentNode.removeChild(li);
        chosen.hidden = chosen.children.length === 0;
        announce(fmt(text("removed"), {name: label}));
        input.focus();
      });
      li.appendChild(span);
      li.appendChild(remove);
      li.appendChild(hidden);
      return li;
    };
    Array.prototype.forEach.call(chosen.querySelectorAll("li"), function (li) {
      var box = li.querySelector("input");
      if (box && box.checked) { chip(li, box.value, li.getAttribute("data-label")); } else { li.parentNode.removeChild(li); }
    });

    var setOpen = function (open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) { move(-1); }
    };
    var move = function (n) {
      if (options.length === 0 || n === -1) {
        active = -1;
      } else {
        active = (n + options.length) % options.length;
      }
      options.forEach(function (option, i) { option.el.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", options[active].el.id);
        options[active].el.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    var choose = function (item) {
      if (!multiple) {
        chosen.textContent = "";
        var matches = root.querySelector(".picker-matches");
        if (matches) { matches.parentNode.removeChild(matches); }
      }
      chosen.appendChild(chip(document.createElement("li"), item.id, item.label));
      chosen.hidden = false;
      input.value = "";
      options = [];
      listbox.textContent = "";
      setOpen(false);
      announce(fmt(text("added"), {name: item.label}));
      input.focus();
    };
    var render = function (items, more) {
      listbox.textContent = "";
      options = [];
      items.forEach(function (item, n) {
        var li = document.createElement("li");
        li.id = listbox.id + "_" + n;
        li.className = "picker-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = item.label;
        li.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "picker-detail";
          detail.textContent = item.detail;
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });  // the focus stays in the box
        li.addEventListener("click", function () { choose(item); });
        listbox.appendChild(li);
        options.push({el: li, item: item});
      });
      setOpen(items.length > 0);
      announce(items.length ? fmt(text("count"), {n: items.length}) + (more ? " " + text("more") : "") : text("none"));
    };
    var search = function () {
      var query = input.value.trim();
      if (query.length < 2) { options = []; listbox.textContent = ""; setOpen(false); return; }
      var mine = ++asked;
      var url = root.getAttribute("data-url") + "&q=" + encodeURIComponent(query);
      window.fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          if (mine !== asked) { return; }
          var taken = chosenIds();
          render((data.results || []).filter(function (item) { return taken.indexOf(String(item.id)) === -1; }), data.more);
        })
        .catch(function () { /* no suggestions: the server still resolves the typed name */ });
    };

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) { move(active + 1); } else if (options.length) { setOpen(true); move(0); } else { search(); }
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); move(active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(options[active].item); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); setOpen(false); } else if (input.value) { event.preventDefault(); input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(function () { setOpen(false); }, 150); });
  };

  document.querySelectorAll("[data-picker]").forEach(setup);
}());
