"use strict";
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const timings = (window.moosicTimings = {});
let status = null;
let frames = [];
let captureStarted = 0;

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
  };
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}

function text(element, value, className = "") {
  element.textContent = value;
  element.className = "result " + className;
}

async function refreshStatus() {
  status = await api("/api/status");
  const who = status.user ? `for ${status.user}` : "not logged in";
  $("who").textContent = `${who} · ${status.offline ? "offline: the playlist stays on this machine" : "Spotify"}`;
  $("login").hidden = status.offline || (status.logged_in && status.user);
  $("login").disabled = !status.can_log_in;
  if (!status.can_log_in && !status.offline && !status.logged_in) {
    $("who").textContent += " · set MOOSIC_CLIENT_ID to log in";
  }
  return status;
}

$("login").addEventListener("click", async () => {
  try {
    const started = await api("/api/login", {});
    window.open(started.authorize_url, "_blank", "noopener");
    $("who").textContent = "waiting for Spotify …";
    const poll = setInterval(async () => {
      const s = await refreshStatus();
      if (s.logged_in && s.user) { clearInterval(poll); refreshHistory(); }
    }, 1000);
  } catch (error) {
    $("who").textContent = error.message;
  }
});

// --- Camera ---
async function startCamera() {
  const video = $("video");
  if (video.srcObject) return video;
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  video.srcObject = stream;
  await new Promise((resolve) => { video.onloadeddata = resolve; });
  await video.play();
  return video;
}

function grab(video) {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  return canvas.toDataURL("image/jpeg", 0.9);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

$("capture").addEventListener("click", async () => {
  captureStarted = performance.now();
  timings.capture_start = captureStarted;
  text($("mood"), "looking …");
  try {
    const video = await startCamera();
    $("shot").hidden = true;
    frames = [];
    for (let i = 0; i < 5; i++) {
      if (i > 0) await sleep(500);
      frames.push(grab(video));
    }
    await readMood(frames);
  } catch (error) {
    text($("mood"), `camera: ${error.message} — upload a photo instead`, "error");
  }
});

$("photo").addEventListener("change", () => {
  const file = $("photo").files[0];
  if (!file) return;
  captureStarted = performance.now();
  timings.capture_start = captureStarted;
  if (status && file.size > status.max_photo_bytes) {
    text($("mood"), `the photo is ${file.size} bytes, more than the limit of ${status.max_photo_bytes}`, "error");
    return;
  }
  const reader = new FileReader();
  reader.onload = () => { frames = [reader.result]; readMood(frames); };
  reader.readAsDataURL(file);
});

async function readMood(images) {
  text($("mood"), "reading the mood …");
  $("preview").disabled = $("write").disabled = true;
  try {
    const mood = await api("/api/mood", { frames: images });
    await showFrame(images[mood.frame], mood.face, mood);
    let line = `${mood.label} (${mood.band} band): ${mood.score.toFixed(2)} on the sad 0 … 1 happy axis, a face in ${mood.frames_with_face} of ${mood.frames} frame${mood.frames === 1 ? "" : "s"}`;
    if (mood.unsure) line += " — not sure: take another picture, or go on";
    text($("mood"), line, mood.unsure ? "unsure" : mood.label);
    $("mood").dataset.score = mood.score;
    timings.mood_shown = performance.now();
    timings.capture_to_preview_ms = undefined;
    $("preview").disabled = $("write").disabled = false;
    await makePlaylist(false);
  } catch (error) {
    text($("mood"), error.message.startsWith("no face") ? `${error.message}: face the camera in good light` : error.message, "error");
  }
}

function showFrame(image, face, mood) {
  return new Promise((resolve) => {
    const picture = new Image();
    picture.onload = () => {
      const canvas = $("shot");
      canvas.width = picture.naturalWidth;
      canvas.height = picture.naturalHeight;
      const context = canvas.getContext("2d");
      context.drawImage(picture, 0, 0);
      if (face) {
        context.lineWidth = Math.max(2, canvas.width / 160);
        // Coloured and named by band, as the playlist follows the band (and as `moosic mood --annotate` draws it).
        const bandColour = { happy: "#f0b429", neutral: "#9a9aa3", sad: "#4f7cff" };
        context.strokeStyle = mood.unsure ? "#ff8a4c" : (bandColour[mood.band] || "#9a9aa3");
        context.strokeRect(face.x, face.y, face.w, face.h);
        context.font = `${Math.max(14, canvas.width / 24)}px system-ui`;
        context.fillStyle = context.strokeStyle;
        context.fillText(`${mood.band} ${mood.score.toFixed(2)}`, face.x, Math.max(16, face.y - 6));
      }
      canvas.hidden = false;
      resolve();
    };
    picture.src = image;
  });
}

// --- Playlist ---
const options = () => ({
  size: Math.min(100, Math.max(1, parseInt($("size").value, 10) || 30)),
  strategy: document.querySelector('input[name="strategy"]:checked').value,
});
$("preview").addEventListener("click", () => makePlaylist(false));
$("write").addEventListener("click", () => makePlaylist(true));

async function makePlaylist(write) {
  text($("playlist-status"), write ? "writing the playlist …" : "choosing songs …");
  const started = performance.now();
  $("preview").disabled = $("write").disabled = true;
  try {
    const result = await api("/api/playlist", { ...options(), write });
    showPlaylist(result);
    timings[write ? "write_ms" : "preview_ms"] = performance.now() - started;
    if (!write && timings.capture_to_preview_ms === undefined) timings.capture_to_preview_ms = performance.now() - captureStarted;
    if (write) {
      timings.playlist_written = performance.now();
      timings.capture_to_playlist_ms = timings.playlist_written - captureStarted;
      await refreshHistory();
    }
  } catch (error) {
    text($("playlist-status"), error.message, "error");
  } finally {
    $("preview").disabled = $("write").disabled = false;
  }
}

function showPlaylist(result) {
  const playlist = result.playlist;
  let line;
  if (playlist.written) {
    const where = playlist.url ? "" : " (offline: in the local store)";
    line = `"${playlist.name}" ${playlist.created ? "created" : "replaced"}: ${playlist.tracks.length} songs${where}`;
    if (playlist.cover_uploaded) line += " · cover uploaded";
  } else {
    line = `preview: ${playlist.tracks.length} songs for a ${result.mood.label} mood (${result.strategy}) — not written yet`;
  }
  const status = $("playlist-status");
  text(status, line, playlist.written ? "written" : "");
  status.dataset.written = playlist.written;
  if (playlist.url) {
    const link = document.createElement("a");
    link.href = playlist.url; link.textContent = " open in Spotify"; link.target = "_blank"; link.rel = "noopener";
    status.appendChild(link);
  }
  for (const note of result.notes) {
    const p = document.createElement("p"); p.className = "coverage note"; p.textContent = `note: ${note}`;
    status.appendChild(p);
  }
  const genres = $("genres");
  genres.replaceChildren();
  const top = Math.max(...result.genres.slice(0, 5).map((g) => g.share), 0.01);
  for (const g of result.genres.slice(0, 5)) {
    const row = document.createElement("div"); row.className = "genre";
    const name = document.createElement("span"); name.textContent = g.genre;
    const bar = document.createElement("div"); bar.className = "bar"; bar.style.width = `${Math.round(g.share / top * 100)}%`;
    const share = document.createElement("span"); share.textContent = `${Math.round(g.share * 100)} %`;
    // Why the genre is there: its share's parts by evidence.
    const from = document.createElement("span"); from.className = "from";
    const parts = [["labels", g.from.labels], ["artists", g.from.artists], ["forest", g.from.forest]].filter(([, v]) => v > 0);
    from.textContent = parts.map(([k, v]) => `${k} ${Math.round(v / Math.max(g.share, 1e-9) * 100)} %`).join(", ");
    row.title = `from ${from.textContent}`;
    row.append(name, bar, share, from);
    genres.appendChild(row);
  }
  const c = result.coverage;
  const coverage = document.createElement("p"); coverage.className = "coverage";
  coverage.textContent = `your genres, from ${c.labelled + c.by_artist + c.inferred} of ${c.library_tracks} library tracks: ` +
    `${c.labelled} by the catalog's labels, ${c.by_artist} by their artists, ${c.inferred} by the forest from audio features`;
  genres.appendChild(coverage);
  const cover = $("cover");
  if (playlist.written && playlist.cover) {
    cover.src = `/api/cover?at=${Date.now()}`; cover.hidden = false;
  }
  const tracks = $("tracks");
  tracks.replaceChildren();
  for (const t of playlist.tracks) {
    const item = document.createElement("li");
    const title = document.createElement("strong"); title.textContent = t.name;
    const by = document.createTextNode(` — ${t.artists} `);
    const open = document.createElement("a");
    open.href = `https://open.spotify.com/track/${encodeURIComponent(t.id)}`; open.textContent = "open in Spotify";
    open.target = "_blank"; open.rel = "noopener";
    const meta = document.createElement("div"); meta.className = "meta";
    meta.textContent = `${t.genre} · emotion ${t.emotion.toFixed(2)} · ${t.reason}`;
    item.append(title, by, open, meta);
    tracks.appendChild(item);
  }
}

// --- History chart (SVG, drawn here) ---
async function refreshHistory() {
  const history = await api("/api/history");
  drawChart(history.points);
  $("history-text").textContent = history.points.length
    ? `${history.sparkline}  ${history.points.length} mood${history.points.length === 1 ? "" : "s"}, ${history.points.filter((p) => p.playlist).length} playlists`
      + feedbackSummary(history.points)
    : "no moods yet";
  $("chart").dataset.points = history.points.length;
}

// What the listener did with moosic's playlists (removed songs are remembered dislikes).
function feedbackSummary(points) {
  const songs = points.map((p) => p.playlist && p.playlist.songs).filter((s) => s);
  const removed = songs.reduce((n, s) => n + s.removed.length, 0), saved = songs.reduce((n, s) => n + s.saved.length, 0);
  return removed || saved ? `; you removed ${removed} song${removed === 1 ? "" : "s"} and saved ${saved}` : "";
}

function drawChart(points) {
  const svg = $("chart");
  const ns = "http://www.w3.org/2000/svg";
  const W = 640, H = 220, left = 40, right = 16, top = 14, bottom = 30;
  const make = (name, attributes, content) => {
    const element = document.createElementNS(ns, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (content !== undefined) element.textContent = content;
    svg.appendChild(element);
    return element;
  };
  svg.replaceChildren();
  const y = (mood) => top + (1 - mood) * (H - top - bottom);
  for (const level of [0, 0.5, 1]) {
    make("line", { x1: left, x2: W - right, y1: y(level), y2: y(level), class: "axis" });
    make("text", { x: 6, y: y(level) + 4 }, level === 1 ? "happy" : level === 0 ? "sad" : "0.5");
  }
  if (!points.length) return;
  const times = points.map((p) => Date.parse(p.at));
  const first = Math.min(...times), last = Math.max(...times);
  const x = (i) => points.length === 1 ? (left + W - right) / 2
    : left + (times[i] - first) / Math.max(1, last - first) * (W - left - right);
  make("polyline", { class: "line", points: points.map((p, i) => `${x(i)},${y(p.mood)}`).join(" ") });
  points.forEach((p, i) => {
    const colour = p.mood >= 0.5 ? "#f0b429" : "#4f7cff";
    const dot = make("circle", { cx: x(i), cy: y(p.mood), r: p.playlist ? 6 : 4,
      fill: p.playlist ? colour : "none", stroke: colour, "stroke-width": 2, class: p.playlist ? "point made" : "point" });
    const songs = p.playlist && p.playlist.songs;
    const kept = songs ? `: ${songs.new} new, ${songs.again} given before`
      + (songs.removed.length ? `; removed: ${songs.removed.map((s) => s.name).join(", ")}` : "")
      + (songs.saved.length ? `; saved: ${songs.saved.map((s) => s.name).join(", ")}` : "") : "";
    const made = p.playlist ? `${p.playlist.strategy}, ${p.playlist.track_count} songs${kept}` : "no playlist";
    const title = document.createElementNS(ns, "title");
    title.textContent = `${new Date(p.at).toLocaleString()}: ${p.mood.toFixed(2)} (${p.label}) — ${made}`;
    dot.appendChild(title);
  });
  make("text", { x: left, y: H - 8 }, new Date(first).toLocaleDateString());
  if (last > first) make("text", { x: W - right - 70, y: H - 8 }, new Date(last).toLocaleDateString());
}

(async () => {
  try {
    await refreshStatus();
    await refreshHistory();
  } catch (error) {
    $("who").textContent = error.message;
  }
  const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
  timings.first_paint = paint ? paint.startTime : null;
  timings.ready = performance.now();
  document.body.dataset.ready = "1";
})();