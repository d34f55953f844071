// The archive page: at most two sessions selected for comparison; bundles imported by
// drag-and-drop or the file input. Every POST carries the CSRF token from the page.
"use strict";
window.vc = {
  csrf: function () { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; },
  post: function (url, body, type) {
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"X-CSRF-Token": vc.csrf(), "Content-Type": type || "application/json"}})
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error(t || r.statusText); });
        return r.json();
      });
  }
};
document.addEventListener("DOMContentLoaded", function () {
  var boxes = document.querySelectorAll('input[type=checkbox][form=compare]');
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      var on = Array.prototype.filter.call(boxes, function (x) { return x.checked; });
      if (on.length > 2) b.checked = false;
    });
  });
  var zone = document.getElementById("import-zone"), input = document.getElementById("import-file");
  var status = document.getElementById("import-status");
  if (!zone) return;
  function importFiles(files) {
    var chain = Promise.resolve(), done = [];
    Array.prototype.forEach.call(files, function (f) {
      chain = chain.then(function () {
        status.textContent = "Importing " + f.name + "…";
        return vc.post("/import", f, "application/zip").then(function (res) { done.push(res); });
      });
    });
    chain.then(function () {
      status.textContent = "";
      done.forEach(function (res) {
        var a = document.createElement("a");
        a.href = res.url; a.textContent = "Imported session " + res.id; a.className = "imported";
        status.appendChild(a); status.appendChild(document.createTextNode(" "));
      });
    }).catch(function (err) { status.textContent = "Import failed: " + err.message; });
  }
  input.addEventListener("change", function () { importFiles(input.files); });
  zone.addEventListener("dragover", function (ev) { ev.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (ev) {
    ev.preventDefault(); zone.classList.remove("over"); importFiles(ev.dataTransfer.files);
  });
});
