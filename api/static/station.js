// The station exam page: follows /api/v1/stations/<id>/events with the station token and
// replaces the questions with the notice as soon as the exam is not running.
"use strict";
(function () {
  const stationId = document.body.dataset.stationId;
  const key = "proctor.station." + stationId;
  const $ = (id) => document.getElementById(id);

  // The token arrives once in the fragment (#token=...), which browsers never send to servers.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    sessionStorage.setItem(key, fragment.get("token"));
    history.replaceState(null, "", location.pathname);
  }

  let remaining = null;
  let running = false;

  function render(state) {
    const attempt = state.attempt;
    $("waiting").hidden = !!attempt;
    running = !!attempt && attempt.state === "in_progress";
    $("exam").hidden = !running;
    $("participant").textContent = attempt ? "Peserta " + attempt.participant_number : "";
    remaining = attempt ? attempt.remaining_seconds : null;
    const notice = attempt && attempt.notice;
    $("notice").hidden = !notice;
    $("notice").dataset.state = attempt ? attempt.state : "";
    if (notice) {
      $("notice-title").textContent =
        attempt.state === "paused" ? "Ujian dihentikan sementara" : "Pemberitahuan";
      $("notice-id").textContent = notice.id;
      $("notice-en").textContent = notice.en;
    }
    tick();
  }

  function tick() {
    if (remaining === null) { $("clock").textContent = "--:--"; return; }
    const s = Math.max(0, Math.floor(remaining));
    $("clock").textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }
  setInterval(() => { if (running && remaining !== null) { remaining -= 1; tick(); } }, 1000);

  function showLogin() {
    $("login").hidden = false;
    $("exam").hidden = true;
    $("connection").textContent = "perlu token";
  }

  async function follow(token) {
    // fetch rather than EventSource: EventSource cannot send an Authorization header.
    const response = await fetch("/api/v1/stations/" + stationId + "/events", {
      headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" },
      cache: "no-store",
    });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(key);
      showLogin();
      return false;
    }
    if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
    $("connection").textContent = "terhubung";
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream closed");
      buffer += value.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        const isState = block.split("\n").some((l) => l.trim() === "event: state");
        if (isState && data) render(JSON.parse(data));
      }
    }
  }

  async function run() {
    let delay = 1000;
    for (;;) {
      const token = sessionStorage.getItem(key);
      if (!token) { showLogin(); return; }
      try {
        if ((await follow(token)) === false) return;
      } catch (err) {
        $("connection").textContent = "terputus, mencoba lagi…";
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(key, $("token").value.trim());
    $("login").hidden = true;
    run();
  });
  run();
})();
