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
    const surveyFor = !attempt ? state.survey_attempt_id : null;
    if (attempt) $("survey-thanks").hidden = true;
    showSurvey(surveyFor);
    $("waiting").hidden = !!attempt || !!surveyFor || !$("survey-thanks").hidden;
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

  // The satisfaction survey, offered once the exam is over: the questions come from the
  // server (the survey's elements are configured there), the answer goes with the token.
  let surveyAttempt = null;
  let questionsLoaded = false;

  async function loadQuestions() {
    const response = await fetch("/api/v1/public/survey", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const form = await response.json();
    const list = $("survey-questions");
    list.replaceChildren();
    for (const element of form.elements) {
      const item = document.createElement("li");
      const fieldset = document.createElement("fieldset");
      const legend = document.createElement("legend");
      const name = document.createElement("b");
      name.textContent = element.name_id;
      const question = document.createElement("div");
      question.textContent = element.question_id;
      const english = document.createElement("div");
      english.className = "muted";
      english.lang = "en";
      english.textContent = element.question_en;
      legend.append(name, question, english);
      const scale = document.createElement("div");
      scale.className = "scale";
      element.answers_id.forEach((words, i) => {
        const label = document.createElement("label");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = element.code;
        input.value = String(i + 1);
        input.required = true;
        label.append(input, " " + words);
        scale.append(label);
      });
      fieldset.append(legend, scale);
      item.append(fieldset);
      list.append(item);
    }
    questionsLoaded = true;
  }

  function showSurvey(attemptId) {
    if (attemptId !== surveyAttempt) {
      surveyAttempt = attemptId;
      $("survey").reset();
      $("survey-error").hidden = true;
      if (attemptId) $("survey-thanks").hidden = true;
    }
    $("survey").hidden = !attemptId;
    if (attemptId && !questionsLoaded) loadQuestions().catch(() => { $("survey").hidden = true; });
  }

  $("survey").addEventListener("submit", async (event) => {
    event.preventDefault();
    const scores = {};
    for (const input of $("survey").querySelectorAll("input[type=radio]:checked")) {
      scores[input.name] = Number(input.value);
    }
    const response = await fetch("/api/v1/stations/" + stationId + "/survey", {
      method: "POST",
      headers: {
        Authorization: "Bearer " + sessionStorage.getItem(key),
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ attempt_id: surveyAttempt, scores }),
    });
    const code = response.ok ? null : ((await response.json().catch(() => ({}))).code || "");
    if (response.status === 201 || code === "survey_answered") {
      $("survey").hidden = true;  // answered, here or with the exam card's code
      $("survey-thanks").hidden = false;
      return;
    }
    $("survey-error").textContent = code === "survey_closed"
      ? "Waktu pengisian survei di stasiun sudah habis; gunakan kode pada kartu ujian."
      : "Survei belum terkirim; coba lagi.";
    $("survey-error").hidden = false;
  });

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
