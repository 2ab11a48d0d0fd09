// The console's menu on a phone: folded behind 菜单 when the page opens, so the page's own
// work comes first; on a wide screen it stays open (its summary is hidden by the stylesheet).
(function () {
  "use strict";
  var menu = document.querySelector("li.console-menu > details");
  if (!menu || !window.matchMedia) return;
  var phone = window.matchMedia("(max-width: 600px)");
  function fit() {
    menu.open = !phone.matches;
  }
  fit();
  if (phone.addEventListener) phone.addEventListener("change", fit);
})();
