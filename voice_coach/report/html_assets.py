"""The review page's inline stylesheet and script (no network: everything is in the page)."""

CSS = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fbfbfd;--card:#fff;--speech:#8cc7a1;
--silence:#eceff4;--pause:#e7a3a3;--filler:#f0a030;--note:#4a7bd0;--framing:#dcebff;--tradeoff:#efe1ff;
--question:#ddf5e6;--strength:#1e8a4c;--ok:#9a7a12;--work:#c0392b;--na:#8a93a3}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1040px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.45rem;line-height:1.3;margin:.1em 0 .2em}
h2{font-size:1.05rem;margin:1.4em 0 .5em;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
.brand{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.08em;text-transform:uppercase}
.meta{margin:0;color:var(--muted);font-size:.9rem}
.tl-nudge{fill:#d98c00;cursor:pointer}
.goal{padding:.6em .9em;margin:.8em 0 0;border-radius:4px;border-left:4px solid #888;background:#f3f3f3}
.goal-met{border-left-color:#2a9d4b;background:#eaf7ee}.goal-missed{border-left-color:#c0392b;background:#fbeaea}
.summary{background:#fff7e0;border-left:4px solid #e0b020;padding:.6em .9em;margin:.8em 0 0;border-radius:4px}
.player{position:sticky;top:0;z-index:5;background:var(--bg);padding:10px 0;display:flex;gap:14px;
align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line)}
.player audio{width:min(520px,100%)}
.hint{color:var(--muted);font-size:.85rem}
.timeline{width:100%;height:76px;display:block;cursor:pointer;background:#fff;border:1px solid var(--line);
border-radius:6px}
.tl-silence{fill:var(--silence)}.tl-speech{fill:var(--speech)}.tl-pause{fill:var(--pause)}
.tl-filler{fill:var(--filler)}.tl-note{fill:var(--note)}.tl-playhead{stroke:#222;stroke-width:2}
.tl-tick{font-size:11px;fill:var(--muted)}
.tl-key{font-size:.82rem;color:var(--muted);margin:.3em 0}
.tl-key i{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;margin-left:.6em}
.k-speech{background:var(--speech)}.k-silence{background:var(--silence);border:1px solid var(--line)}
.k-pause{background:var(--pause)}.k-filler{background:var(--filler)}.k-note{background:var(--note)}
.legend{font-size:.85rem;color:var(--muted)}
.transcript{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;
font-size:1.06rem;line-height:2.05}
.w[data-start]{cursor:pointer;border-radius:3px}
.w[data-start]:hover{background:#eef2f8;outline:1px solid #c9d3e3}
.w.current{background:#ffe58a}
.filler,.fl{background:#ffe1b0;color:#7a4300;border-radius:3px;padding:0 2px;font-weight:600}
.filler.discourse,.fl.discourse{background:#fff0c8;color:#7a5a00;font-style:italic}
.m-framing{background:var(--framing)}.m-tradeoffs{background:var(--tradeoff)}
.m-clarifying_questions{background:var(--question)}
.unsure{text-decoration:underline dotted #999}
.tag{display:inline-block;font-size:.68rem;line-height:1.2;text-transform:uppercase;letter-spacing:.05em;
padding:1px 5px;margin-right:4px;border-radius:3px;vertical-align:.25em;color:#fff}
.t-framing{background:#3d6fc4}.t-tradeoffs{background:#7d4cc0}.t-clarifying_questions{background:#2e8b57}
button{font:inherit;color:inherit}
.pause{display:inline-block;font-size:.8rem;line-height:1.4;background:var(--pause);color:#5a1010;border:0;
border-radius:10px;padding:0 8px;margin:0 4px;cursor:pointer;vertical-align:.1em}
.note{display:block;margin:6px 0;padding:4px 10px;border-left:4px solid var(--note);background:#eef3fc;
font-size:.95rem;line-height:1.5;border-radius:0 4px 4px 0;cursor:pointer}
.notes-general .note{cursor:default}
.note-chip{font-weight:600;color:var(--note);font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
border-top:4px solid var(--na);break-inside:avoid}
.card header{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
.card h3{margin:0;font-size:1.02rem}
.v-strength{border-top-color:var(--strength)}.v-ok{border-top-color:var(--ok)}.v-work_on{border-top-color:var(--work)}
.verdict{font-size:.8rem;font-weight:600;white-space:nowrap}
.v-strength .verdict{color:var(--strength)}.v-ok .verdict{color:var(--ok)}.v-work_on .verdict{color:var(--work)}
.v-n\\/a .verdict{color:var(--na)}
.headline{margin:.35em 0;font-weight:500}
.advice{margin:.5em 0 .2em;color:#24324a}
.evidence{list-style:none;margin:.3em 0;padding:0}
.evidence li{margin:2px 0}
.ev{display:block;width:100%;text-align:left;background:#f5f7fb;border:1px solid #e3e8f0;border-radius:5px;
padding:3px 8px;font-size:.9rem;cursor:pointer}
.ev:hover{background:#e9eef7}.ev.untimed{cursor:default}
.at{font-variant-numeric:tabular-nums;color:var(--note);font-weight:600;margin-right:4px}
.figures{display:grid;grid-template-columns:auto 1fr;gap:0 10px;font-size:.8rem;color:var(--muted);margin:.5em 0 0}
.figures dt{margin:0}.figures dd{margin:0;font-variant-numeric:tabular-nums}
.foot{margin-top:28px;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:10px}
.empty{color:var(--muted)}
@media (max-width:640px){.page{padding:12px}.transcript{font-size:1rem}}
@media print{.player,.hint,.tl-playhead{display:none}body{background:#fff;font-size:11pt}
.page{max-width:none;padding:0}.transcript,.card{border-color:#bbb}.cards{grid-template-columns:1fr 1fr}
.timeline-wrap,.card,.note{break-inside:avoid}.w.current{background:none}}
"""

# Delegated: one listener handles every element with data-start, so the DOM contract holds
# for fillers, words, pauses, notes and evidence alike. No user text ever reaches here.
SCRIPT = """
(function(){
  "use strict";
  var audio = document.getElementById("audio");
  var words = Array.prototype.slice.call(document.querySelectorAll("#transcript .w[data-start]"));
  var starts = words.map(function(w){ return parseFloat(w.getAttribute("data-start")); });
  var tl = document.getElementById("timeline");
  var head = document.getElementById("playhead");
  var dur = tl ? parseFloat(tl.getAttribute("data-duration")) : 0;
  var current = null;
  function seek(t){
    if (!audio || !isFinite(t)) return;
    audio.currentTime = Math.max(0, t);
    var p = audio.play();
    if (p && p.catch) p.catch(function(){});
    show(t);
  }
  function show(t){
    if (head && dur > 0) {
      var x = Math.min(1000, t / dur * 1000);
      head.setAttribute("x1", x); head.setAttribute("x2", x);
    }
    var lo = 0, hi = starts.length - 1, i = -1;  // the last word starting at or before t
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { i = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var w = i >= 0 ? words[i] : null;
    if (w !== current) {
      if (current) current.classList.remove("current");
      if (w) w.classList.add("current");
      current = w;
    }
  }
  document.addEventListener("click", function(ev){
    var el = ev.target.closest ? ev.target.closest("[data-start]") : null;
    if (el) { ev.preventDefault(); seek(parseFloat(el.getAttribute("data-start"))); return; }
    if (tl && dur > 0 && tl.contains(ev.target)) {
      var r = tl.getBoundingClientRect();
      seek((ev.clientX - r.left) / r.width * dur);
    }
  });
  if (audio) audio.addEventListener("timeupdate", function(){ show(audio.currentTime); });
})();
"""
