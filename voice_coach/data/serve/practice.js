// Browser practice: hear the question (rendered by the server's TTS), record the answer
// with MediaRecorder, upload it, and open the report of the saved session.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("question"), qaudio = document.getElementById("question-audio");
  var rec = document.getElementById("record"), stop = document.getElementById("stop");
  var status = document.getElementById("practice-status");
  var recorder = null, chunks = [];
  // With a focus, the answer is judged against the goal shown (its limit is the question's).
  var goal = document.getElementById("goal"), goalText = document.getElementById("goal-text");
  function focusQuery() {
    if (!goal) return "";
    return "&focus=" + encodeURIComponent(goal.getAttribute("data-skill")) +
      "&why=" + encodeURIComponent(goal.getAttribute("data-why") || "");
  }
  select.addEventListener("change", function () {
    var opt = select.options[select.selectedIndex];
    if (goalText && opt) goalText.textContent = opt.getAttribute("data-goal") || "";
  });
  document.getElementById("play-question").addEventListener("click", function () {
    qaudio.src = "/practice/question/" + encodeURIComponent(select.value);
    qaudio.play().catch(function (err) { status.textContent = "The question could not be played: " + err.message; });
  });
  rec.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      chunks = [];
      var type = MediaRecorder.isTypeSupported("audio/webm") ? "audio/webm" : "";
      recorder = type ? new MediaRecorder(stream, {mimeType: type}) : new MediaRecorder(stream);
      recorder.ondataavailable = function (ev) { if (ev.data.size) chunks.push(ev.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        var blob = new Blob(chunks, {type: (recorder.mimeType || "audio/webm").split(";")[0]});
        status.textContent = "Analysing your answer…";
        vc.post("/practice/answer?question=" + encodeURIComponent(select.value) + focusQuery(), blob, blob.type)
          .then(function (res) { status.textContent = "Saved. Opening the report…"; window.location.href = res.url; })
          .catch(function (err) { status.textContent = "Analysis failed: " + err.message; rec.disabled = false; });
      };
      recorder.start(1000);
      rec.disabled = true; stop.disabled = false; status.textContent = "Recording…";
    }).catch(function (err) { status.textContent = "No microphone: " + err.message; });
  });
  stop.addEventListener("click", function () {
    stop.disabled = true;
    if (recorder && recorder.state !== "inactive") recorder.stop();
  });
});
