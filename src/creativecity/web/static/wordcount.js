// Live word count of the report texts (creativecity web, texts page).
// Counts words as creativecity.reports.narrative.word_count does: runs of letters, marks or digits,
// joined by - ' or ’ (a Vietnamese syllable counts as one word). The server shows the same count on
// load, so the page is right without JavaScript too.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+)*/gu;
  function count(text) {
    var m = text.match(WORD);
    return m ? m.length : 0;
  }
  function update(area) {
    var out = document.getElementById(area.dataset.counter);
    if (!out) return;
    var limit = parseInt(area.dataset.limit || "0", 10);
    var n = count(area.value);
    out.querySelector(".wc-n").textContent = String(n);
    var over = limit > 0 && n > limit;
    out.classList.toggle("over", over);
    var warn = out.querySelector(".wc-over");
    if (warn) warn.hidden = !over;
  }
  document.addEventListener("input", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches("textarea[data-counter]")) update(t);
  });
})();
