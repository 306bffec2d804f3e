// Refreshes the station grid every 2 seconds from the console's JSON (same origin, session
// cookie): states, scores, heartbeats and flags change in place, without a reload.
(function () {
  "use strict";
  const grid = document.getElementById("grid");
  if (!grid) return;
  const source = grid.dataset.source;

  function update(rows) {
    for (const row of rows) {
      const tile = grid.querySelector(`[data-station="${row.station_id}"]`);
      if (!tile) continue;
      tile.className = `tile state-${row.state}${row.quiet ? " quiet" : ""}`;
      tile.querySelector(".participant").textContent = row.participant || "-";
      const state = tile.querySelector(".state");
      state.dataset.state = row.state;
      state.textContent = row.state_label;
      const score = tile.querySelector(".score .value");
      score.textContent = row.last_level; // the match level, 0-100 (50 is the threshold)
      score.title = row.last_score === null ? "" : row.last_score.toFixed(3);
      const beat = tile.querySelector(".beat time");
      beat.dateTime = row.last_heartbeat || "";
      beat.textContent = row.last_heartbeat_text; // in the venue's zone, written by the server
      tile.querySelector(".flags").textContent = row.flag_labels.join(", ");
      const open = tile.querySelector(".open"); // the desk's page of the attempt (staff only)
      if (open) {
        open.hidden = !row.attempt_id;
        if (row.attempt_id) open.href = `/console/attempts/${row.attempt_id}`;
      }
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
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);
})();
