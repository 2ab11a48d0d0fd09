// The item body as a clerk edits it: a rich-text editor (Squire, vendored) in place of the
// textarea, which stays the form field and is filled from the editor when the form is sent.
// Pasting from Word or WPS keeps headings, lists and tables: DOMPurify parses the pasted
// HTML inertly, Word's list paragraphs (`mso-list`) become real lists, and every style,
// class and tag the published page does not carry is dropped. The server's sanitiser
// (core::html::sanitize) decides for good what is stored; without JavaScript the textarea
// works as before.
(function () {
  "use strict";
  var area = document.getElementById("body");
  if (!area || !window.Squire || !window.DOMPurify) return;
  var form = area.form;

  // What the published page carries (as core::html), plus the tags pasted text arrives in
  // that are renamed or unwrapped below.
  var TAGS = ["p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "ul", "ol", "li",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "blockquote", "a", "span", "sup", "sub",
    "hr", "pre", "code", "img", "div"];
  var ATTRS = ["href", "colspan", "rowspan", "src", "alt", "style", "class", "start"];

  function rename(el, tag) {
    var out = document.createElement(tag);
    while (el.firstChild) out.appendChild(el.firstChild);
    ["colspan", "rowspan", "href", "src", "alt", "start"].forEach(function (a) {
      if (el.hasAttribute(a)) out.setAttribute(a, el.getAttribute(a));
    });
    el.parentNode.replaceChild(out, el);
    return out;
  }

  function unwrap(el) {
    while (el.firstChild) el.parentNode.insertBefore(el.firstChild, el);
    el.parentNode.removeChild(el);
  }

  // Word and WPS write a list item as a paragraph with `mso-list:l0 level2 lfo1` in its
  // style and the number or bullet as a span marked `mso-list:Ignore`. Runs of such
  // paragraphs become <ol>/<ul> with <li>, nested by level.
  function wordLists(root) {
    var paras = Array.prototype.slice.call(root.querySelectorAll("p"));
    var stack = [];
    var lastPara = null;
    paras.forEach(function (p) {
      var style = p.getAttribute("style") || "";
      var m = /mso-list:\s*l\d+\s+level(\d+)/i.exec(style);
      if (!m) {
        stack = [];
        lastPara = null;
        return;
      }
      var level = Math.max(1, Math.min(6, parseInt(m[1], 10)));
      var marker = "";
      Array.prototype.slice.call(p.querySelectorAll("span")).forEach(function (s) {
        if (/mso-list:\s*ignore/i.test(s.getAttribute("style") || "")) {
          marker += s.textContent;
          s.parentNode.removeChild(s);
        }
      });
      marker = marker.replace(/\s+/g, "");
      var ordered = /^[(（]?([0-9]+|[一二三四五六七八九十]+|[a-zA-Z]|[ivxIVX]+)[.、)）．]?$/.test(marker) && marker !== "";
      var li = document.createElement("li");
      while (p.firstChild) li.appendChild(p.firstChild);
      // A paragraph that follows another list paragraph continues its list.
      var continues = lastPara && p.previousElementSibling === lastPara.placeholder;
      if (!continues) stack = [];
      while (stack.length > level) stack.pop();
      while (stack.length < level) {
        var list = document.createElement(ordered ? "ol" : "ul");
        if (stack.length === 0) {
          p.parentNode.insertBefore(list, p);
        } else {
          var parent = stack[stack.length - 1];
          var host = parent.lastElementChild || parent.appendChild(document.createElement("li"));
          host.appendChild(list);
        }
        stack.push(list);
      }
      stack[stack.length - 1].appendChild(li);
      // The paragraph stays as an empty marker until the run ends, so the next one can see
      // that it follows directly.
      p.textContent = "";
      lastPara = { placeholder: p };
      p.setAttribute("data-gone", "1");
    });
    Array.prototype.slice.call(root.querySelectorAll("p[data-gone]")).forEach(function (p) {
      p.parentNode.removeChild(p);
    });
  }

  function tidy(root) {
    wordLists(root);
    Array.prototype.slice.call(root.querySelectorAll("h1")).forEach(function (h) { rename(h, "h2"); });
    Array.prototype.slice.call(root.querySelectorAll("h5, h6")).forEach(function (h) { rename(h, "h4"); });
    Array.prototype.slice.call(root.querySelectorAll("div")).forEach(unwrap);
    Array.prototype.slice.call(root.querySelectorAll("*")).forEach(function (el) {
      el.removeAttribute("style");
      el.removeAttribute("class");
    });
    // Word's empty spacer paragraphs (&nbsp; only) and bare spans add nothing.
    Array.prototype.slice.call(root.querySelectorAll("span")).forEach(unwrap);
    Array.prototype.slice.call(root.querySelectorAll("p")).forEach(function (p) {
      if (!p.querySelector("img") && !/[^\s\u00a0]/.test(p.textContent) && !p.closest("td, th")) {
        p.parentNode.removeChild(p);
      }
    });
    // A cell of one paragraph is the cell's text.
    Array.prototype.slice.call(root.querySelectorAll("td > p:only-child, th > p:only-child")).forEach(unwrap);
    return root;
  }

  function sanitize(html) {
    var frag = DOMPurify.sanitize(html, {
      ALLOWED_TAGS: TAGS,
      ALLOWED_ATTR: ATTRS,
      RETURN_DOM_FRAGMENT: true,
    });
    return tidy(document.importNode(frag, true));
  }

  // The label and the toolbar.
  var label = document.querySelector("label[for=body]");
  var box = document.createElement("div");
  box.className = "rte";
  var bar = document.createElement("div");
  bar.className = "rte-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "正文格式");
  var surface = document.createElement("div");
  surface.className = "rte-area";
  surface.id = "body-editor";
  surface.setAttribute("role", "textbox");
  surface.setAttribute("aria-multiline", "true");
  if (label) {
    label.id = label.id || "body-label";
    surface.setAttribute("aria-labelledby", label.id);
    label.setAttribute("for", "body-editor");
    var hint = label.querySelector("small");
    if (hint) hint.textContent = "（可直接从 Word、WPS 粘贴，保留标题、列表和表格；保存时清理不安全内容）";
  }
  if (area.getAttribute("aria-describedby")) surface.setAttribute("aria-describedby", area.getAttribute("aria-describedby"));
  if (area.getAttribute("aria-invalid")) surface.setAttribute("aria-invalid", area.getAttribute("aria-invalid"));
  box.appendChild(bar);
  box.appendChild(surface);
  area.parentNode.insertBefore(box, area);
  area.hidden = true;

  var editor = new window.Squire(surface, { blockTag: "P", sanitizeToDOMFragment: sanitize });
  var text = area.value;
  if (text.indexOf("<") < 0) {
    text = text.split(/\r?\n/).filter(function (l) { return l.trim() !== ""; }).map(function (l) {
      var p = document.createElement("p");
      p.textContent = l.trim();
      return p.outerHTML;
    }).join("");
  }
  editor.setHTML(text);

  function block(tag) {
    editor.modifyBlocks(function (frag) {
      Array.prototype.slice.call(frag.querySelectorAll("p, h2, h3, h4")).forEach(function (b) {
        if (b.nodeName.toLowerCase() !== tag) rename(b, tag);
      });
      return frag;
    });
  }

  var buttons = [
    ["正文", function () { block("p"); }],
    ["标题", function () { block("h2"); }],
    ["小标题", function () { block("h3"); }],
    ["加粗", function () { editor.hasFormat("B") ? editor.removeBold() : editor.bold(); }],
    ["编号列表", function () { editor.makeOrderedList(); }],
    ["项目列表", function () { editor.makeUnorderedList(); }],
    ["取消列表", function () { editor.removeList(); }],
    ["清除格式", function () { editor.removeAllFormatting(); }],
    ["撤销", function () { editor.undo(); }],
    ["重做", function () { editor.redo(); }],
  ];
  buttons.forEach(function (b) {
    var btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = b[0];
    btn.addEventListener("click", function () {
      b[1]();
      editor.focus();
    });
    bar.appendChild(btn);
  });

  // An editor with nothing in it still holds an empty paragraph: that is an empty body.
  function sync() {
    var empty = !/[^\s\u00a0]/.test(surface.textContent) && !surface.querySelector("img, table, hr");
    area.value = empty ? "" : editor.getHTML();
  }
  editor.addEventListener("input", sync);
  if (form) form.addEventListener("submit", sync);
})();
