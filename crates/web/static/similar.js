// The letter form: as the writer types the subject or the text, answered questions like it
// are shown above the form (from /api/v1/letters/similar). Without JavaScript the form's
// "先查相似问题" button does the same on the server.
(function () {
  "use strict";
  var box = document.getElementById("similar-live");
  var subject = document.getElementById("subject");
  var text = document.getElementById("text");
  if (!box || !subject || !text || !window.fetch) return;
  var timer = null;
  var last = "";
  function show(items) {
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!items.length) { box.hidden = true; return; }
    var h = document.createElement("h3");
    h.textContent = "以下已答复的问题可能与您的问题相同";
    box.appendChild(h);
    var ul = document.createElement("ul");
    items.forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = s.href;
      a.textContent = s.title;
      li.appendChild(a);
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = s.answer.length > 120 ? s.answer.slice(0, 120) + "…" : s.answer;
      li.appendChild(p);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.hidden = false;
  }
  function look() {
    var q = (subject.value + " " + text.value.slice(0, 150)).trim();
    if (q.length < 4 || q === last) return;
    last = q;
    fetch("/api/v1/letters/similar?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(show)
      .catch(function () {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(look, 600);
  }
  subject.addEventListener("input", later);
  text.addEventListener("input", later);
})();
