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
  document.getElementById("note-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = document.getElementById("note-text");
    if (!input.value.trim()) return;
    post("/session/" + sid + "/notes", {text: input.value, at: now()}).then(function (n) {
      var li = document.createElement("li"); render(li, n); list.appendChild(li); input.value = "";
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
        post("/session/" + sid + "/notes/" + nid, {text: field.value, at: at}).then(function (n) { render(li, n); })
          .catch(function (err) { alert("Not saved: " + err.message); });
      });
    } else if (ev.target.classList.contains("note-delete")) {
      post("/session/" + sid + "/notes/" + nid + "/delete", {}).then(function () { li.remove(); })
        .catch(function (err) { alert("Not deleted: " + err.message); });
    }
  });
  document.getElementById("forget").addEventListener("click", function () {
    if (!window.confirm("Delete session " + sid + " and its recording for good?")) return;
    post("/session/" + sid + "/forget", {}).then(function () { window.location.href = "/"; })
      .catch(function (err) { alert("Not deleted: " + err.message); });
  });
})();
