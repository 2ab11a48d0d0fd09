// 关怀版's reading aids (《互联网网站适老化通用设计规范》, 辅助工具): 指读 reads aloud the text
// under the pointer or the keyboard focus; 朗读全文 reads the page's main text from the
// start; 停止 stops. They use the browser's own speech (Web Speech API, the system's voices:
// nothing is fetched), appear only in the 关怀版 and only where the browser can speak, and
// 指读 on or off is remembered. The enlarged pointer is care.css's.
(function () {
  "use strict";
  if (!/(?:^|;\s*)gk_mode=care(?:;|$)/.test(document.cookie)) return;
  var synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return;
  var header = document.querySelector(".site-header .wrap");
  if (!header) return;
  var KEY = "gk_read";
  var on = false;
  try { on = window.localStorage.getItem(KEY) === "on"; } catch (e) { on = false; }

  // The things one reads as a unit, and what the reader hears for each.
  var READABLE = "h1, h2, h3, h4, p, li, dt, dd, th, td, caption, label, legend, summary, a, button, .pre";
  function textOf(el) {
    var text = (el.getAttribute("aria-label") || el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    if (el.tagName === "A") return "链接：" + text;
    if (el.tagName === "BUTTON") return "按钮：" + text;
    return text;
  }
  // Long text in sentences: some voices stop after a dozen seconds of one utterance.
  function sentences(text) {
    return text.split(/(?<=[。！？；!?;\n])/).map(function (s) { return s.trim(); }).filter(Boolean);
  }
  function say(text) {
    synth.cancel();
    sentences(text).slice(0, 400).forEach(function (s) {
      var u = new window.SpeechSynthesisUtterance(s);
      u.lang = "zh-CN";
      u.rate = 0.9;
      synth.speak(u);
    });
  }
  var marked = null;
  function mark(el) {
    if (marked) marked.classList.remove("care-reading");
    marked = el;
    if (el) el.classList.add("care-reading");
  }

  function button(label) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    return b;
  }
  var bar = document.createElement("div");
  bar.className = "care-tools";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "辅助阅读");
  var point = button("指读");
  var whole = button("朗读全文");
  var stop = button("停止朗读");
  bar.appendChild(point);
  bar.appendChild(whole);
  bar.appendChild(stop);
  header.appendChild(bar);
  function show() {
    point.setAttribute("aria-pressed", on ? "true" : "false");
    point.textContent = on ? "指读：开" : "指读：关";
  }
  show();
  point.addEventListener("click", function () {
    on = !on;
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* not remembered */ }
    show();
    if (on) say("指读已打开：鼠标移到哪里，就读哪里");
    else { synth.cancel(); mark(null); }
  });
  whole.addEventListener("click", function () {
    var main = document.getElementById("main");
    if (main) { mark(null); say(main.innerText); }
  });
  stop.addEventListener("click", function () { synth.cancel(); mark(null); });

  // 指读: after the pointer rests a moment (not while it passes over), or at once on focus.
  var timer = null;
  var last = null;
  function readAt(target, wait) {
    if (!on || !target || !target.closest) return;
    var el = target.closest(READABLE);
    if (!el || el === last || bar.contains(el)) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var text = textOf(el);
      if (!text) return;
      last = el;
      mark(el);
      say(text);
    }, wait);
  }
  document.addEventListener("mouseover", function (e) { readAt(e.target, 300); });
  document.addEventListener("focusin", function (e) { readAt(e.target, 0); });
})();
