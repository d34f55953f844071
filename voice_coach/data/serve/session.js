// The served review page: notes added at the audio's current time, edited and deleted in
// place (saved to the store), and forget with a confirmation. Note text is only ever set
// with textContent, so markup in a note shows as text.
"use strict";
(function () {
  var tools = document.getElementById("serve-tools");
  if (!tools) return;
  var sid = tools.getAttribute("data-session");
  var audio = document.getElementById("audio");
  var list = document.getElementById("notes-list");
  var timeOut = document.getElementById("note-time");
  function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }
  function post(url, data) {
    return fetch(url, {method: "POST", credentials: "same-origin", body: JSON.stringify(data),
                       headers: {"X-CSRF-Token": csrf(), "Content-Type": "application/json"}})
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error(t || r.statusText); });
        return r.json();
      });
  }
  function fmt(t) {
    if (t === null || t === undefined) return "overall";
    var m = Math.floor(t / 60), s = (t - m * 60).toFixed(1);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  // The note box sits in the player bar, which stays on screen while the coach scrolls
  // through the transcript: type where the moment is, without losing the player.
  var player = document.querySelector(".player"), form = document.getElementById("note-form");
  if (player && form) player.appendChild(form);
  function now() { return audio ? Math.round(audio.currentTime * 1000) / 1000 : null; }
  function showTime() { timeOut.textContent = fmt(now()); }
  if (audio) { audio.addEventListener("timeupdate", showTime); audio.addEventListener("seeked", showTime); }
  function render(li, n) {
    li.className = "edit-note"; li.setAttribute("data-note-id", n.id);
    li.setAttribute("data-at", n.at === null ? "" : n.at);
    li.textContent = "";
    var at = document.createElement("button"); at.type = "button"; at.className = "note-at";
    at.textContent = fmt(n.at); if (n.at !== null) at.setAttribute("data-start", n.at);
    var text = document.createElement("span"); text.className = "note-text"; text.textContent = n.text;
    var edit = document.createElement("button"); edit.type = "button"; edit.className = "note-edit";
    edit.textContent = "Edit";
    var del = document.createElement("button"); del.type = "button"; del.className = "note-delete";
    del.textContent = "Delete";
    [at, document.createTextNode(" "), text, document.createTextNode(" "), edit, document.createTextNode(" "), del]
      .forEach(function (x) { li.appendChild(x); });
  }
  // The transcript shows each timed note inline at its moment (the review page renders
  // them); keep those in step with the editor, so a change shows without a reload.
  var transcript = document.getElementById("transcript");
  function inline(nid) { return transcript ? transcript.querySelector('aside.note[data-note-id="' + nid + '"]') : null; }
  function placeInline(n) {
    var old = inline(n.id);
    if (old) old.remove();
    if (!transcript || n.at === null) return;
    var aside = document.createElement("aside");
    aside.className = "note"; aside.setAttribute("data-start", n.at); aside.setAttribute("data-note-id", n.id);
    var chip = document.createElement("span"); chip.className = "note-chip"; chip.textContent = "\u270e " + fmt(n.at);
    aside.appendChild(chip); aside.appendChild(document.createTextNode(" " + n.text));
    var next = Array.prototype.find.call(transcript.querySelectorAll(".w[data-start]"), function (w) {
      return parseFloat(w.getAttribute("data-start")) >= n.at;
    });
    if (next) next.parentNode.insertBefore(aside, next); else transcript.appendChild(aside);
  }
  // Tag the server-rendered inline notes with their ids (same time, same text).
  list.querySelectorAll("li.edit-note").forEach(function (li) {
    if (!transcript || li.getAttribute("data-at") === "") return;
    var at = parseFloat(li.getAttribute("data-at")), text = li.querySelector(".note-text").textContent;
    var match = Array.prototype.find.call(transcript.querySelectorAll("aside.note:not([data-note-id])"), function (a) {
      return Math.abs(parseFloat(a.getAttribute("data-start")) - at) < 0.002 && a.textContent.endsWith(text);
    });
    if (match) match.setAttribute("data-note-id", li.getAttribute("data-note-id"));
  });
  document.getElementById("note-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = document.getElementById("note-text");
    if (!input.value.trim()) return;
    post("/session/" + sid + "/notes", {text: input.value, at: now()}).then(function (n) {
      var li = document.createElement("li"); render(li, n); list.appendChild(li); input.value = "";
      placeInline(n);
    }).catch(function (err) { alert("The note was not saved: " + err.message); });
  });
  list.addEventListener("click", function (ev) {
    var li = ev.target.closest("li.edit-note"); if (!li) return;
    var nid = li.getAttribute("data-note-id");
    var at = li.getAttribute("data-at") === "" ? null : parseFloat(li.getAttribute("data-at"));
    if (ev.target.classList.contains("note-edit")) {
      var text = li.querySelector(".note-text").textContent;
      var field = document.createElement("input"); field.className = "note-input"; field.value = text;
      var save = document.createElement("button"); save.type = "button"; save.textContent = "Save";
      save.className = "note-save";
      li.textContent = ""; li.appendChild(field); li.appendChild(save); field.focus();
      save.addEventListener("click", function () {
        post("/session/" + sid + "/notes/" + nid, {text: field.value, at: at})
          .then(function (n) { render(li, n); placeInline(n); })
          .catch(function (err) { alert("Not saved: " + err.message); });
      });
    } else if (ev.target.classList.contains("note-delete")) {
      post("/session/" + sid + "/notes/" + nid + "/delete", {})
        .then(function () { li.remove(); var a = inline(nid); if (a) a.remove(); })
        .catch(function (err) { alert("Not deleted: " + err.message); });
    }
  });
  document.getElementById("forget").addEventListener("click", function () {
    if (!window.confirm("Delete session " + sid + " and its recording for good?")) return;
    post("/session/" + sid + "/forget", {}).then(function () { window.location.href = "/"; })
      .catch(function (err) { alert("Not deleted: " + err.message); });
  });
})();
