// The station grid, live: the server pushes the venue's rows the moment a station's exam
// changes state (server-sent events, same origin, session cookie), and names a station that
// has just paused, which raises a visible and audible alert. A poll every 10 s covers a
// browser or proxy that drops the stream.
(function () {
  "use strict";
  const grid = document.getElementById("grid");
  if (!grid) return;
  const source = grid.dataset.source;
  const alertBox = document.getElementById("alert");
  let audio = null;

  function beep() {
    // Web Audio: nothing to download. Browsers allow sound once the page has been used.
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.8);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.8);
    } catch (e) {
      /* no sound device: the banner still shows */
    }
  }

  function raise(row) {
    if (!alertBox) return;
    document.getElementById("alert-text").textContent =
      `${row.code}: ${grid.dataset.pausedWord} · ${row.candidate_name || row.participant || ""}`;
    const link = document.getElementById("alert-link");
    link.hidden = !row.incident_id;
    if (row.incident_id) link.href = `/console/incidents/${row.incident_id}`;
    alertBox.hidden = false;
    alertBox.dataset.forStation = row.station_id;
    beep();
  }

  function show(element, on) {
    if (element) element.hidden = !on;
  }

  function update(data) {
    for (const row of data.rows) {
      const tile = grid.querySelector(`[data-station="${row.station_id}"]`);
      if (!tile) continue;
      tile.className = `tile state-${row.state}${row.quiet ? " quiet" : ""}`;
      tile.querySelector(".participant").textContent = row.participant || "-";
      tile.querySelector(".name").textContent = row.candidate_name || "-";
      const photo = tile.querySelector(".photo");
      show(photo, !!row.photo_id);
      if (row.photo_id) {
        const src = `/console/attempts/${row.attempt_id}/photos/${row.photo_id}`;
        if (photo.getAttribute("src") !== src) photo.setAttribute("src", src);
      }
      const live = tile.querySelector(".live"); // the newest picture: its address holds its time
      show(live, !!row.live_src);
      if (row.live_src) {
        const image = live.querySelector("img");
        if (image.getAttribute("src") !== row.live_src) image.setAttribute("src", row.live_src);
        live.querySelector("figcaption").textContent = row.live_text;
      }
      const state = tile.querySelector(".state");
      state.dataset.state = row.state;
      state.textContent = row.state_label;
      tile.querySelector(".left .value").textContent = row.remaining_text;
      const score = tile.querySelector(".score .value");
      score.textContent = row.last_level; // the match level, 0-100 (50 is the threshold)
      score.title = row.last_score === null ? "" : row.last_score.toFixed(3);
      const beat = tile.querySelector(".beat time");
      beat.dateTime = row.last_heartbeat || "";
      beat.textContent = row.last_heartbeat_text; // in the venue's zone, written by the server
      const flags = tile.querySelector(".flags");
      flags.replaceChildren(
        ...row.flag_labels.map((label) => {
          const badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = label;
          return badge;
        })
      );
      const incident = tile.querySelector(".incident");
      show(incident, !!row.incident_id);
      if (row.incident_id) incident.href = `/console/incidents/${row.incident_id}`;
      const open = tile.querySelector(".open"); // the desk's page of the attempt (staff only)
      show(open, !!row.attempt_id);
      if (open && row.attempt_id) open.href = `/console/attempts/${row.attempt_id}`;
    }
    for (const count of document.querySelectorAll("#summary .count")) {
      count.querySelector("b").textContent = data.summary[count.dataset.key] || 0;
    }
  }

  async function poll() {
    try {
      const response = await fetch(source, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const hits = document.getElementById("watchlist-hits");
        const open = response.headers.get("X-Open-Watchlist-Hits");
        if (hits && open !== null && open !== hits.dataset.count) {
          window.location.reload(); // a watchlist hit was raised or decided: show it at once
          return;
        }
        update(await response.json());
      }
    } catch (e) {
      /* the next poll tries again */
    }
    setTimeout(poll, 10000);
  }

  if (window.EventSource && grid.dataset.events) {
    const events = new EventSource(grid.dataset.events);
    events.addEventListener("grid", (e) => update(JSON.parse(e.data)));
    events.addEventListener("paused", (e) => raise(JSON.parse(e.data)));
  }
  const ack = document.getElementById("alert-ack");
  if (ack) ack.addEventListener("click", () => { alertBox.hidden = true; });
  setTimeout(poll, 10000);
})();
