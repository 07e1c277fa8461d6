#!/usr/bin/env python3
"""Browser tests of `moosic serve`: Debian's chromium driven by selenium through chromedriver (never a
downloaded browser), its fake camera fed from Fixtures/photos/happy-1.jpg, against the Spotify emulator
(the `spotify-emulator` test executable) — the page's login, capture → mood → playlist written → the
history's new point → the cover uploaded. Then the security cases with plain HTTP: a wrong Host, a
missing CSRF token and an oversized upload are answered 4xx and write nothing.

Usage: Scripts/browser-test.py <bin dir>   (the folder holding the debug `moosic` and `spotify-emulator`)
Screenshots go to $MOOSIC_BROWSER_ARTEFACTS (default: .build/browser-test/), printed at the end with
the page's timings.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build/debug"
ARTEFACTS = Path(os.environ.get("MOOSIC_BROWSER_ARTEFACTS", ROOT / ".build/browser-test"))
passed, failed = 0, 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}")


def start(arguments, env, pattern, stream="stderr", timeout=60):
    """Starts a process and waits for a line matching pattern on its stdout or stderr."""
    process = subprocess.Popen(arguments, env=env, cwd=ROOT, text=True,
                               stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
                               stderr=subprocess.PIPE if stream == "stderr" else None)
    pipe = process.stdout if stream == "stdout" else process.stderr
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = pipe.readline()
        if not line:
            break
        match = re.search(pattern, line)
        if match:
            return process, match
    process.kill()
    raise SystemExit(f"{arguments[0]} did not print {pattern!r}")


def request(url, method="GET", headers=None, body=None):
    """(status, body) of a plain HTTP request; the Host header may be set to anything."""
    req = urllib.request.Request(url, method=method, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def oversized_upload(port, headers, length):
    """Status of a POST /api/mood announcing `length` bytes, of which only the first MiB is sent: the
    server must answer from the Content-Length without waiting for (or reading) the rest."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = f"POST /api/mood HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode() + b'{"frames": ["' + b"A" * (1 << 20))
        answer = sock.recv(256).decode(errors="replace")
    match = re.match(r"HTTP/1\.1 (\d+)", answer)
    return int(match.group(1)) if match else answer


def make_y4m(photo, out):
    """The fake camera's video: the photo, padded to 640×480, one second of frames."""
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(photo), "-t", "1", "-r", "10",
                    "-vf", "scale=480:480,pad=640:480:80:0:black", "-pix_fmt", "yuv420p", str(out)], check=True)


def browser(video):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1500",
                 "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                 f"--use-file-for-fake-video-capture={video}", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]:
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def main():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="moosic-browser-"))
    processes = []
    try:
        video = home / "happy-1.y4m"
        make_y4m(ROOT / "Fixtures/photos/happy-1.jpg", video)
        emulator, match = start([str(BIN / "spotify-emulator"), str(ROOT)], dict(os.environ), r"^(http://127\.0\.0\.1:\d+)", "stdout")
        processes.append(emulator)
        spotify = match.group(1)
        # No features service: the fixture library is all in the catalog, and a test never reaches the
        # real ReccoBeats (the features client has its own emulator and tests).
        env = dict(os.environ, MOOSIC_HOME=str(home / "state"), MOOSIC_SPOTIFY_API_URL=spotify + "/v1",
                   MOOSIC_SPOTIFY_ACCOUNTS_URL=spotify + "/accounts", MOOSIC_CLIENT_ID="moosic-emulator-client",
                   MOOSIC_FEATURES_URL="")
        moosic = str(BIN / "moosic")
        subprocess.run([moosic, "catalog", "import", "Fixtures/catalog.csv"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        server, match = start([moosic, "serve", "--port", "0", "--login-port", "0"], env, r"http://127\.0\.0\.1:(\d+)/")
        processes.append(server)
        port = int(match.group(1))
        page = f"http://127.0.0.1:{port}/"

        def state():
            return json.loads(request(spotify + "/emulator/state")[1])

        driver = browser(video)
        try:
            started = time.time()
            driver.get(page)
            wait = WebDriverWait(driver, 60)
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            first_paint = driver.execute_script(
                "const p = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint'); return p ? p.startTime : null")
            ready = driver.execute_script("return window.moosicTimings.ready")
            driver.save_screenshot(str(ARTEFACTS / "1-not-logged-in.png"))
            check(driver.find_element(By.ID, "who").text.startswith("not logged in"), "a new user is offered the login")
            html = driver.page_source
            check("<script src=\"/page.js\">" in html and "https://" not in html.split("<body>")[0],
                  "the page loads only its own script and style")

            # The PKCE login from the page: the emulator's authorize page redirects to the loopback callback.
            driver.find_element(By.ID, "login").click()
            wait.until(lambda d: len(d.window_handles) == 2)
            driver.switch_to.window(driver.window_handles[1])
            wait.until(lambda d: "logged in" in d.find_element(By.TAG_NAME, "body").text)
            driver.close()
            driver.switch_to.window(driver.window_handles[0])
            wait.until(lambda d: d.find_element(By.ID, "who").text.startswith("for moosicdemo"))
            check(True, "the login from the page makes moosicdemo the page's user")
            tokens = json.loads((home / "state/spotify-tokens.json").read_text())
            secrets = [t["accessToken"] for t in tokens.values()] + [t["refreshToken"] for t in tokens.values()]

            driver.find_element(By.ID, "capture").click()
            wait.until(lambda d: d.find_element(By.ID, "mood").get_attribute("data-score"))
            mood_text = driver.find_element(By.ID, "mood").text
            score = float(driver.find_element(By.ID, "mood").get_attribute("data-score"))
            driver.save_screenshot(str(ARTEFACTS / "2-mood.png"))
            check(mood_text.startswith("happy") and score > 0.5, f"the camera's happy face reads happy ({mood_text})")
            check("5 frames" in mood_text, "five frames were read")
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tracks li"))
            driver.save_screenshot(str(ARTEFACTS / "3-preview.png"))
            check(state()["created_playlists"] == [], "a preview writes nothing to Spotify")

            size = driver.find_element(By.ID, "size")
            size.clear()
            size.send_keys("20")
            driver.find_element(By.CSS_SELECTOR, 'input[value="lift"]').click()
            driver.find_element(By.ID, "write").click()
            wait.until(lambda d: d.find_element(By.ID, "playlist-status").get_attribute("data-written") == "true")
            wait.until(lambda d: d.find_element(By.ID, "chart").get_attribute("data-points") == "1")
            wait.until(lambda d: d.execute_script("const c = document.getElementById('cover'); return !c.hidden && c.complete && c.naturalWidth > 0"))
            capture_to_playlist = driver.execute_script("return window.moosicTimings.capture_to_playlist_ms")
            mood_ms = driver.execute_script("return window.moosicTimings.mood_shown - window.moosicTimings.capture_start")
            first_preview = driver.execute_script("return window.moosicTimings.capture_to_preview_ms")
            driver.execute_script("document.getElementById('playlist-section').scrollIntoView()")
            driver.save_screenshot(str(ARTEFACTS / "4-written.png"))
            tracks = driver.find_elements(By.CSS_SELECTOR, "#tracks li")
            check(len(tracks) == 20, f"the playlist has the 20 songs asked for ({len(tracks)})")
            check(all("open.spotify.com/track/" in t.find_element(By.TAG_NAME, "a").get_attribute("href") for t in tracks),
                  "every song links to Spotify")
            check(all(t.find_element(By.CLASS_NAME, "meta").text.count("·") >= 2 for t in tracks), "every song has its reason")
            check("cover uploaded" in driver.find_element(By.ID, "playlist-status").text, "the page says the cover was uploaded")
            made = state()
            check(len(made["created_playlists"]) == 1 and made["created_playlists"][0]["tracks"] == 20,
                  "one playlist of 20 songs was written to Spotify")
            check(len(made["cover_uploads"]) == 1 and made["cover_uploads"][0]["playlist_id"] == made["created_playlists"][0]["id"],
                  "the emulator received the cover of that playlist")
            driver.execute_script("document.getElementById('history-section').scrollIntoView()")
            driver.save_screenshot(str(ARTEFACTS / "5-history.png"))
            check(len(driver.find_elements(By.CSS_SELECTOR, "#chart circle.made")) == 1, "the history chart shows the new point with its playlist")
            history = json.loads(subprocess.run([moosic, "history", "--user", "moosicdemo", "--json"], env=env, cwd=ROOT,
                                                check=True, capture_output=True, text=True).stdout)
            check([p["playlist"]["track_count"] for p in history["points"]] == [20], "`moosic history` shows the same point")

            # Writing again replaces the same one playlist.
            driver.find_element(By.ID, "write").click()
            wait.until(lambda d: d.find_element(By.ID, "chart").get_attribute("data-points") == "2")
            check(len(state()["created_playlists"]) == 1, "a second write replaces the same playlist")

            # An uploaded photo: a sad one.
            driver.find_element(By.ID, "photo").send_keys(str(ROOT / "Fixtures/photos/sad-1.jpg"))
            wait.until(lambda d: d.find_element(By.ID, "mood").text.startswith("sad"))
            driver.save_screenshot(str(ARTEFACTS / "6-uploaded-sad.png"))
            check(True, "an uploaded sad photo reads sad")
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tracks li") and not d.find_element(By.ID, "write").get_attribute("disabled"))
            size = driver.find_element(By.ID, "size")
            size.clear()
            size.send_keys("6")
            driver.find_element(By.ID, "write").click()
            wait.until(lambda d: d.find_element(By.ID, "chart").get_attribute("data-points") == "3")
            wait.until(lambda d: d.execute_script("const c = document.getElementById('cover'); return c.complete && c.naturalWidth > 0"))
            check(len(state()["cover_uploads"]) == 3, "each write sends its cover")
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(ARTEFACTS / "7-page.png"))
            timings = driver.execute_script("return window.moosicTimings")
            driver.find_element(By.ID, "photo").send_keys(str(ROOT / "Fixtures/photos/no-face.jpg"))
            wait.until(lambda d: "no face" in d.find_element(By.ID, "mood").text)
            check(True, "a photo without a face says so")

            cookie = driver.get_cookie("moosic_session")["value"]
            csrf = driver.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
            logs = driver.page_source
            try:
                logs += json.dumps(driver.get_log("browser"))
            except Exception:
                pass
            check(not any(secret in logs for secret in secrets), "no Spotify token in the page")
        finally:
            driver.quit()

        # --- Security: plain HTTP, each refused with 4xx and nothing written ---
        before = (state(), json.loads(subprocess.run([moosic, "history", "--user", "moosicdemo", "--json"], env=env, cwd=ROOT,
                                                     capture_output=True, text=True).stdout))
        photo = (ROOT / "Fixtures/photos/happy-1.jpg").read_bytes()
        import base64
        frame = json.dumps({"frames": [base64.b64encode(photo).decode()]}).encode()
        headers = {"Cookie": f"moosic_session={cookie}", "X-CSRF-Token": csrf, "Content-Type": "application/json"}
        status, _ = request(page + "api/mood", "POST", dict(headers), frame)
        check(status == 200, f"a proper photo upload is answered 200 ({status})")
        status, _ = request(page, headers={"Host": "evil.example:%d" % port})
        check(status == 421, f"a wrong Host (DNS rebinding) is refused ({status})")
        status, _ = request(page + "api/playlist", "POST", dict(headers, Host="attacker.example"), b'{"size":5,"strategy":"match","write":true}')
        check(status == 421, f"a write with a wrong Host is refused ({status})")
        no_csrf = {k: v for k, v in headers.items() if k != "X-CSRF-Token"}
        status, _ = request(page + "api/playlist", "POST", no_csrf, b'{"size":5,"strategy":"match","write":true}')
        check(status == 403, f"a write without the CSRF token is refused ({status})")
        status, _ = request(page + "api/playlist", "POST", dict(headers, **{"X-CSRF-Token": "0" * 64}), b'{"size":5,"strategy":"match","write":true}')
        check(status == 403, f"a write with a wrong CSRF token is refused ({status})")
        status, _ = request(page + "api/playlist", "POST", {"X-CSRF-Token": csrf, "Content-Type": "application/json"}, b'{"size":5,"strategy":"match","write":true}')
        check(status == 403, f"a write without the session cookie is refused ({status})")
        status = oversized_upload(port, headers, 33 * 1024 * 1024 // 3 * 4 + 100)
        check(status == 413, f"an upload over the byte limit is refused from its Content-Length, before it is read ({status})")
        # A PNG header claiming 60 000 × 60 000 pixels: refused from the header, before decoding.
        import struct, zlib
        ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
        png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + b"\0" * 64
        status, answer = request(page + "api/mood", "POST", dict(headers), json.dumps({"frames": [base64.b64encode(png).decode()]}).encode())
        check(status == 413, f"an upload over the pixel limit is refused ({status}: {answer[:120]!r})")
        status, _ = request(page + "api/playlist", "POST", dict(headers), b'{"size":5,"strategy":"match","write":true}')
        check(status == 409, f"after a refused upload there is no mood to write a playlist for ({status})")
        after = (state(), json.loads(subprocess.run([moosic, "history", "--user", "moosicdemo", "--json"], env=env, cwd=ROOT,
                                                    capture_output=True, text=True).stdout))
        check(after == before, "the refused requests wrote nothing (Spotify and the store as they were)")

        server.terminate()
        server_log = server.stderr.read()
        check(not any(secret in server_log for secret in secrets), "no Spotify token in the server's log")

        # --- Offline, as the README brings it up: a fresh home, the fixtures, no Spotify ---
        offline_env = dict(os.environ, MOOSIC_HOME=str(home / "offline"))
        for key in ["MOOSIC_SPOTIFY_API_URL", "MOOSIC_SPOTIFY_ACCOUNTS_URL", "MOOSIC_CLIENT_ID"]:
            offline_env.pop(key, None)
        offline, match = start([moosic, "serve", "--offline", "--port", "0"], offline_env, r"http://127\.0\.0\.1:(\d+)/")
        processes.append(offline)
        driver = browser(video)
        try:
            driver.get(f"http://localhost:{match.group(1)}/")
            wait = WebDriverWait(driver, 90)
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            check("offline" in driver.find_element(By.ID, "who").text and driver.find_element(By.ID, "login").get_attribute("hidden"),
                  "offline: the page says so and offers no login")
            driver.find_element(By.ID, "capture").click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tracks li") and not d.find_element(By.ID, "write").get_attribute("disabled"))
            driver.find_element(By.ID, "write").click()
            wait.until(lambda d: d.find_element(By.ID, "chart").get_attribute("data-points") == "1")
            check("offline: in the local store" in driver.find_element(By.ID, "playlist-status").text,
                  "offline: the playlist is written to the local store (served on localhost:PORT too)")
            wait.until(lambda d: d.execute_script("const c = document.getElementById('cover'); return !c.hidden && c.complete && c.naturalWidth > 0"))
            driver.save_screenshot(str(ARTEFACTS / "8-offline.png"))
        finally:
            driver.quit()
        offline.terminate()

        ms = lambda value: "?" if value is None else f"{value:.0f}"
        print(f"timings: first contentful paint {ms(first_paint)} ms, page ready {ms(ready)} ms; camera: mood shown "
              f"{ms(mood_ms)} ms after the capture began (5 frames over 2 s), preview {ms(first_preview)} ms after it, "
              f"playlist written {ms(capture_to_playlist)} ms after it (with the test's clicks); "
              f"last preview {ms(timings.get('preview_ms'))} ms, last write {ms(timings.get('write_ms'))} ms")
        (ARTEFACTS / "timings.json").write_text(json.dumps({"first_paint_ms": first_paint, "ready_ms": ready, "mood_shown_ms": mood_ms,
                                                            "capture_to_preview_ms": first_preview, "preview_ms": timings.get("preview_ms"),
                                                            "write_ms": timings.get("write_ms"),
                                                            "capture_to_playlist_ms": capture_to_playlist}))
        print(f"screenshots: {ARTEFACTS}")
    finally:
        for process in processes:
            process.kill()
        shutil.rmtree(home, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
