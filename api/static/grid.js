// Refreshes the station grid every 2 seconds from the console's JSON (same origin, session
// cookie): states, scores, heartbeats and flags change in place, without a reload.
(function () {
  "use strict";
  const grid = document.getElementById("grid");
  if (!grid) return;
  const source = grid.dataset.source;

  function time(iso) {
    if (!iso) return "-";
    const d = new Date(iso);
    return d.toTimeString().slice(0, 8);
  }

  function update(rows) {
    for (const row of rows) {
      const tile = grid.querySelector(`[data-station="${row.station_id}"]`);
      if (!tile) continue;
      tile.className = `tile state-${row.state}${row.quiet ? " quiet" : ""}`;
      tile.querySelector(".participant").textContent = row.participant || "-";
      tile.querySelector(".state").textContent = row.state;
      tile.querySelector(".score .value").textContent =
        row.last_score === null ? "-" : row.last_score;
      tile.querySelector(".beat .value").textContent = time(row.last_heartbeat);
      tile.querySelector(".flags").textContent = row.flags.join(", ");
    }
  }

  async function poll() {
    try {
      const response = await fetch(source, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) update(await response.json());
    } catch (e) {
      /* the next poll tries again */
    }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);
})();
