#!/usr/bin/env python3
"""Builds Fixtures/ from the development data ($MOOSIC_DEV_DATA, default ../shared/data; docs/data-sources.md): a small catalog, a demo Spotify user and a few photos.

Deterministic (fixed seed): running it again gives the same files. Needs Pillow for the photos
(Debian: `apt-get install python3-pil`, then run it with /usr/bin/python3); the committed Fixtures are its output, so neither the demo nor the tests run it.

    python3 Scripts/make-fixtures.py [--data DIR]   # DIR default: $MOOSIC_DEV_DATA, else ../shared/data
"""
import argparse
import csv
import json
import os
import random
import string
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "Fixtures"
SEED = 20261122

# The five Moo-Sic genres plus eleven more, so that a profile and a playlist have some variety.
CATALOG_GENRES = ["happy", "sad", "rock", "edm", "death-metal", "acoustic", "pop", "dance", "party",
                  "sleep", "jazz", "hip-hop", "classical", "indie", "chill", "piano"]
USER_ID = "moosicdemo"
API = "https://api.spotify.com/v1"
PAGE = 50
BASE62 = string.ascii_letters + string.digits


def spotify_id(rng):
    return "".join(rng.choice(BASE62) for _ in range(22))


def snapshot_id(rng):
    return "".join(rng.choice(BASE62 + "+/") for _ in range(32))


def track_object(row, rng, track_id=None):
    """A TrackObject as GET /playlists/{id}/items returns it in 2026 (deprecated fields left out)."""
    tid = track_id or row["track_id"]
    artists = [{"id": spotify_id(rng), "name": name, "type": "artist", "uri": None,
                "href": None, "external_urls": {}} for name in row["artists"].split(";")]
    for artist in artists:
        artist["uri"] = f"spotify:artist:{artist['id']}"
        artist["href"] = f"{API}/artists/{artist['id']}"
        artist["external_urls"] = {"spotify": f"https://open.spotify.com/artist/{artist['id']}"}
    album_id = spotify_id(rng)
    return {
        # available_markets is deprecated but still required by the Web API's schema.
        "album": {"album_type": "album", "available_markets": ["DE", "GB", "US"], "id": album_id, "name": row["album_name"], "type": "album",
                  "uri": f"spotify:album:{album_id}", "href": f"{API}/albums/{album_id}",
                  "total_tracks": 12, "release_date": "2019", "release_date_precision": "year",
                  "images": [], "artists": artists[:1], "external_urls": {}},
        "artists": artists,
        "disc_number": 1,
        "duration_ms": int(row["duration_ms"]),
        "explicit": row["explicit"] == "True",
        # ISRCs are made up (the dataset has none) but well-formed: CC-XXX-YY-NNNNN.
        "external_ids": {"isrc": "QZ" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(3))
                         + f"{rng.randrange(100):02d}{rng.randrange(100000):05d}"},
        "external_urls": {"spotify": f"https://open.spotify.com/track/{tid}"},
        "href": f"{API}/tracks/{tid}",
        "id": tid,
        "is_local": False,
        "is_playable": True,
        "name": row["track_name"],
        "track_number": rng.randrange(1, 13),
        "type": "track",
        "uri": f"spotify:track:{tid}",
    }


def local_file_item():
    return {"added_at": "2025-03-02T18:11:09Z", "added_by": None, "is_local": True,
            "item": {"album": {"name": "Voice Memos", "type": "album"}, "artists": [{"name": "Me", "type": "artist"}],
                     "duration_ms": 61000, "explicit": False, "external_ids": {}, "external_urls": {},
                     "href": None, "id": None, "is_local": True, "name": "humming in the kitchen",
                     "type": "track", "uri": "spotify:local:Me:Voice+Memos:humming+in+the+kitchen:61"}}


def episode_item(rng):
    eid = spotify_id(rng)
    sid = spotify_id(rng)
    show = {"available_markets": ["DE", "GB", "US"], "copyrights": [], "description": "Science for curious minds.",
            "html_description": "<p>Science for curious minds.</p>", "explicit": False,
            "external_urls": {"spotify": f"https://open.spotify.com/show/{sid}"}, "href": f"{API}/shows/{sid}",
            "id": sid, "images": [], "is_externally_hosted": False, "languages": ["en"], "media_type": "audio",
            "name": "Brain Stuff", "publisher": "Brain Stuff Media", "total_episodes": 212, "type": "show",
            "uri": f"spotify:show:{sid}"}
    return {"added_at": "2025-05-14T07:02:44Z", "added_by": {"id": USER_ID, "type": "user"}, "is_local": False,
            "item": {"id": eid, "name": "Why sad songs make us feel better", "type": "episode",
                     "uri": f"spotify:episode:{eid}", "duration_ms": 1843000, "explicit": False,
                     "href": f"{API}/episodes/{eid}", "is_playable": True, "audio_preview_url": None,
                     "description": "A science podcast episode.",
                     "html_description": "<p>A science podcast episode.</p>", "is_externally_hosted": False,
                     "release_date": "2024-11-02", "release_date_precision": "day", "images": [],
                     "languages": ["en"], "external_urls": {"spotify": f"https://open.spotify.com/episode/{eid}"},
                     "show": show}}


def pages(path, items, total=None):
    """Splits items into pages as Spotify returns them with limit=50: {offset: page}."""
    total = len(items) if total is None else total
    result = {}
    for offset in range(0, max(total, 1), PAGE):
        nxt = f"{API}{path}?offset={offset + PAGE}&limit={PAGE}" if offset + PAGE < total else None
        prev = f"{API}{path}?offset={max(offset - PAGE, 0)}&limit={PAGE}" if offset > 0 else None
        result[offset] = {"href": f"{API}{path}?offset={offset}&limit={PAGE}", "items": items[offset:offset + PAGE],
                          "limit": PAGE, "next": nxt, "offset": offset, "previous": prev, "total": total}
    return result


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n")


def make_catalog(shared):
    rows = list(csv.DictReader(open(shared / "spotify/tracks.csv", newline="")))
    header = list(rows[0].keys())
    chosen = [r for r in rows if r["track_genre"] in CATALOG_GENRES]
    with open(FIXTURES / "catalog.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(chosen)
    others = [r for r in rows if r["track_genre"] not in CATALOG_GENRES and r["track_name"]]
    return chosen, others


def make_user(catalog_rows, other_rows):
    rng = random.Random(SEED)
    by_genre = {}
    seen = set()
    for row in catalog_rows:
        if row["track_id"] in seen:
            continue
        seen.add(row["track_id"])
        by_genre.setdefault(row["track_genre"], []).append(row)
    for rows in by_genre.values():
        # A plausible listener plays mostly what is popular in the genres they like.
        rows.sort(key=lambda r: (-int(r["popularity"]), r["track_id"]))

    def pick(mix, count):
        chosen = []
        for genre, share in mix.items():
            pool = by_genre[genre][:200]
            chosen += rng.sample(pool, round(count * share))
        rng.shuffle(chosen)
        return chosen

    def item(row, when, track_id=None):
        return {"added_at": when, "added_by": {"id": USER_ID, "type": "user", "uri": f"spotify:user:{USER_ID}",
                                               "href": f"{API}/users/{USER_ID}", "external_urls": {}},
                "is_local": False, "item": track_object(row, rng, track_id)}

    def stamp(i):
        return f"2025-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}T{(i * 5) % 24:02d}:{(i * 13) % 60:02d}:00Z"

    me = {"display_name": "Moosic Demo", "external_urls": {"spotify": f"https://open.spotify.com/user/{USER_ID}"},
          "href": f"{API}/users/{USER_ID}", "id": USER_ID, "images": [], "type": "user",
          "uri": f"spotify:user:{USER_ID}"}
    friend = {"display_name": "Robin", "id": "robin.k", "type": "user", "uri": "spotify:user:robin.k",
              "href": f"{API}/users/robin.k", "external_urls": {}}
    owner = {"display_name": me["display_name"], "id": USER_ID, "type": "user", "uri": me["uri"],
             "href": me["href"], "external_urls": me["external_urls"]}
    spotify = {"display_name": "Spotify", "id": "spotify", "type": "user", "uri": "spotify:user:spotify",
               "href": f"{API}/users/spotify", "external_urls": {}}

    playlists = [
        ("Gym Rock", owner, False, pick({"rock": 0.6, "death-metal": 0.25, "edm": 0.15}, 120)),
        ("Friday Night", owner, False, pick({"edm": 0.4, "dance": 0.3, "party": 0.2, "pop": 0.1}, 80)),
        ("Rainy Sundays", owner, False, pick({"sad": 0.5, "acoustic": 0.25, "piano": 0.25}, 60)),
        ("Road Trip", friend, True, pick({"rock": 0.4, "indie": 0.3, "pop": 0.2, "happy": 0.1}, 40)),
        ("Today's Top Hits", spotify, False, []),
        ("Late Jazz", friend, False, []),
    ]
    out = FIXTURES / "spotify" / USER_ID
    summaries = []
    for n, (name, who, collaborative, rows) in enumerate(playlists):
        pid = spotify_id(rng)
        items = [item(r, stamp(n * 100 + i)) for i, r in enumerate(rows)]
        if name == "Rainy Sundays":
            items.insert(7, local_file_item())
            items.insert(31, episode_item(rng))
        if name == "Road Trip":
            # Two songs under ids the catalog does not have: one is a relinked copy of a catalog
            # song (found again by artist and title), one is from a genre outside the catalog.
            items.append(item(rows[0], stamp(n * 100 + 98), track_id=spotify_id(rng)))
            items.append(item(rng.choice(other_rows), stamp(n * 100 + 99)))
        total = len(items) if rows else (50 if who is spotify else 25)
        summaries.append({
            "collaborative": collaborative, "description": "", "external_urls":
                {"spotify": f"https://open.spotify.com/playlist/{pid}"}, "href": f"{API}/playlists/{pid}",
            "id": pid, "images": [], "name": name, "owner": who, "public": not collaborative,
            "snapshot_id": snapshot_id(rng), "items": {"href": f"{API}/playlists/{pid}/items", "total": total},
            "type": "playlist", "uri": f"spotify:playlist:{pid}"})
        # Items of playlists the user neither owns nor collaborates on are not in the fixture:
        # in Development Mode Spotify answers 403 for them.
        if rows:
            for offset, page in pages(f"/playlists/{pid}/items", items).items():
                write_json(out / "playlists" / pid / f"items-{offset}.json", page)
    for offset, page in pages("/me/playlists", summaries).items():
        write_json(out / f"me-playlists-{offset}.json", page)
    liked_rows = pick({"happy": 0.2, "rock": 0.25, "pop": 0.15, "sad": 0.1, "chill": 0.1, "indie": 0.1,
                       "edm": 0.1}, 150)
    liked = [{"added_at": stamp(1000 + i), "track": track_object(r, rng)} for i, r in enumerate(liked_rows)]
    liked.append({"added_at": stamp(1999), "track": track_object(rng.choice(other_rows), rng)})
    for offset, page in pages("/me/tracks", liked).items():
        write_json(out / f"me-tracks-{offset}.json", page)
    write_json(out / "me.json", me)


PHOTOS = {  # fixture name: file in $MOOSIC_DEV_DATA/photos (labels.csv says happy/sad/neutral)
    "happy-1.jpg": "muxspace/Ai_Sugiyama_0005.jpg",
    "happy-2.jpg": None,
    "sad-1.jpg": "muxspace/Alexander_Losyukov_0003.jpg",
    "sad-2.jpg": None,
    "neutral-1.jpg": None,
}


def make_photos(shared):
    from PIL import Image, ImageDraw

    labels = list(csv.DictReader(open(shared / "photos/labels.csv")))
    by_label = {}
    for row in labels:
        by_label.setdefault(row["label"], []).append(row["file"])
    chosen = {}
    for name, file in PHOTOS.items():
        label = name.split("-")[0]
        if file is None:
            file = next(f for f in by_label[label] if f not in chosen.values())
        chosen[name] = file
    out = FIXTURES / "photos"
    out.mkdir(parents=True, exist_ok=True)
    for name, file in chosen.items():
        Image.open(shared / "photos" / file).convert("RGB").save(out / name, quality=92)
    # Two faces: two photos side by side, the left one larger (the largest face is the one used).
    # The photos are tight crops, so each gets a wide plain margin, as a face in a wider picture has.
    left = Image.open(shared / "photos" / chosen["happy-1.jpg"]).convert("RGB").resize((260, 260))
    right = Image.open(shared / "photos" / chosen["sad-1.jpg"]).convert("RGB").resize((190, 190))
    canvas = Image.new("RGB", (720, 420), (200, 200, 195))
    canvas.paste(left, (80, 80))
    canvas.paste(right, (450, 115))
    canvas.save(out / "two-faces.jpg", quality=92)
    # No face: a drawn landscape.
    scene = Image.new("RGB", (480, 320))
    draw = ImageDraw.Draw(scene)
    for y in range(320):
        draw.line([(0, y), (480, y)], fill=(90 + y // 4, 140 + y // 5, 220 - y // 6))
    draw.ellipse([360, 40, 420, 100], fill=(250, 220, 120))
    draw.polygon([(0, 320), (0, 220), (120, 150), (260, 230), (380, 170), (480, 220), (480, 320)], fill=(60, 110, 60))
    scene.save(out / "no-face.jpg", quality=92)
    return chosen


def make_format_photos():
    """happy-1.jpg in every format and pixel layout moosic reads, 200x200 to keep them small."""
    from PIL import Image

    src = FIXTURES / "photos" / "happy-1.jpg"
    out = FIXTURES / "photos" / "formats"
    out.mkdir(parents=True, exist_ok=True)
    face = Image.open(src).convert("RGB").resize((200, 200), Image.LANCZOS)
    face.convert("L").save(out / "grey.png", optimize=True)
    rgba = face.convert("RGBA")
    # A transparent frame around the face: the alpha channel must not hide it.
    alpha = Image.new("L", face.size, 0)
    alpha.paste(255, (10, 10, 190, 190))
    rgba.putalpha(alpha)
    rgba.save(out / "alpha.png", optimize=True)
    face.save(out / "colour.bmp")
    face.save(out / "colour.webp", quality=90)
    face.save(out / "colour.tiff", compression="tiff_deflate")
    # Stored lying on its side, upright only when the EXIF orientation (6: rotate 90° clockwise)
    # is applied; a plain margin below the face makes it 200 wide x 240 tall when upright.
    upright = Image.new("RGB", (200, 240), (200, 200, 195))
    upright.paste(face, (0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    upright.transpose(Image.ROTATE_90).save(out / "exif-rotated.jpg", quality=92, exif=exif.tobytes())
    upright.transpose(Image.ROTATE_90).save(out / "exif-rotated.webp", quality=90, exif=exif.tobytes())
    # A small face in a wide picture: below the size searched first, found by the second search.
    scene = Image.new("RGB", (640, 480), (200, 200, 195))
    scene.paste(Image.open(src).convert("RGB").resize((80, 80), Image.LANCZOS), (420, 140))
    scene.save(FIXTURES / "photos" / "small-face.jpg", quality=92)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=os.environ.get("MOOSIC_DEV_DATA", str(REPO.parent / "shared" / "data")))
    args = parser.parse_args()
    shared = Path(args.data)
    catalog_rows, other_rows = make_catalog(shared)
    make_user(catalog_rows, other_rows)
    chosen = make_photos(shared)
    make_format_photos()
    for name, file in chosen.items():
        print(f"photos/{name} <- {file}")


if __name__ == "__main__":
    main()
