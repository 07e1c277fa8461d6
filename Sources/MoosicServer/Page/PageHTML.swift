/// The page, its script and its style: everything the browser loads comes from moosic itself
/// (no third-party script, style or font; the Content-Security-Policy allows nothing else).
enum PageAssets {
    /// The page; the session's CSRF token is the only thing put into it.
    static func html(csrfToken: String) -> String {
        #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\#(csrfToken)">
        <title>moosic</title>
        <link rel="stylesheet" href="/page.css">
        </head>
        <body>
        <header>
          <h1>moosic</h1>
          <p id="who">…</p>
          <button id="login" hidden>Log in to Spotify</button>
        </header>
        <main>
          <section id="mood-section">
            <h2>1 · Your mood</h2>
            <div class="row">
              <div class="camera">
                <video id="video" autoplay muted playsinline></video>
                <canvas id="shot" hidden></canvas>
              </div>
              <div class="controls">
                <button id="capture">Take a picture</button>
                <p class="hint">Five frames over two seconds, so a blink does not decide.</p>
                <label class="upload">or upload a photo <input id="photo" type="file" accept="image/*"></label>
                <p id="mood" class="result" aria-live="polite"></p>
              </div>
            </div>
          </section>
          <section id="playlist-section">
            <h2>2 · Your playlist</h2>
            <div class="row options">
              <label>Songs <input id="size" type="number" min="1" max="100" value="30"></label>
              <label><input type="radio" name="strategy" value="match" checked> match my mood</label>
              <label><input type="radio" name="strategy" value="lift"> lift my mood</label>
              <button id="preview" disabled>Preview</button>
              <button id="write" disabled>Write playlist</button>
            </div>
            <p id="playlist-status" class="result" aria-live="polite"></p>
            <div class="row">
              <div id="genres"></div>
              <img id="cover" alt="the playlist's cover" hidden>
            </div>
            <ol id="tracks"></ol>
          </section>
          <section id="history-section">
            <h2>3 · Mood history</h2>
            <svg id="chart" viewBox="0 0 640 220" role="img" aria-label="moods over time"></svg>
            <p id="history-text"></p>
          </section>
        </main>
        <script src="/page.js"></script>
        </body>
        </html>
        """#
    }
}
