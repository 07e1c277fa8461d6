#!/usr/bin/env python3
"""Builds Fixtures/spotify/moosicfar/: a listener whose library is mostly outside the catalog, as
real libraries are (issue 12: a shipped catalog knows ~10 % of a real library's tracks).

300 songs of jazz (40 %), classical (30 %), hip-hop (20 %) and sad (10 %) from Fixtures/catalog.csv:
a fifth keep their catalog id; the other four fifths are hidden — a new Spotify id and a title with a
word added, so that neither the id nor artist + title finds them in the catalog — and their audio
features are only in `features.json` (Spotify id → the 11 features), which the tests' features
emulator serves. Their artists keep their names, so the artist fallback can still find them.
Deterministic (fixed seed); uses the helpers of make-fixtures.py.

    python3 Scripts/make-far-listener.py
"""
import csv
import importlib.util
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_fixtures", REPO / "Scripts" / "make-fixtures.py")
mf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mf)

USER = "moosicfar"
SEED = 20261202
MIX = {"jazz": 0.4, "classical": 0.3, "hip-hop": 0.2, "sad": 0.1}
COUNT = 300
KEPT = 0.2
FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]
WORDS = ["Nocturne", "Reprise", "Echoes", "Overture", "Redux", "Sketch", "Variation", "Interlude"]


def main():
    rng = random.Random(SEED)
    rows = list(csv.DictReader(open(REPO / "Fixtures" / "catalog.csv", newline="")))
    first_genre = {}
    for r in rows:
        first_genre.setdefault(r["track_id"], r)
    by_genre = {}
    for r in first_genre.values():
        by_genre.setdefault(r["track_genre"], []).append(r)
    for pool in by_genre.values():
        pool.sort(key=lambda r: (-int(r["popularity"]), r["track_id"]))
    chosen = []
    for genre, share in MIX.items():
        chosen += [(genre, r) for r in rng.sample(by_genre[genre][:600], round(COUNT * share))]
    rng.shuffle(chosen)

    out = REPO / "Fixtures" / "spotify" / USER
    features = {}
    tracks = []
    for i, (genre, row) in enumerate(chosen):
        if rng.random() < KEPT:
            tracks.append(mf.track_object(row, rng))
            continue
        hidden = dict(row)
        hidden["track_name"] = f"{rng.choice(WORDS)} {row['track_name']}"
        tid = mf.spotify_id(rng)
        tracks.append(mf.track_object(hidden, rng, track_id=tid))
        features[tid] = {name: (int(row[name]) if name in ("key", "mode") else float(row[name])) for name in FEATURES}

    owner = {"display_name": "Far Listener", "id": USER, "type": "user", "uri": f"spotify:user:{USER}",
             "href": f"{mf.API}/users/{USER}", "external_urls": {}}
    me = dict(owner, images=[], external_urls={"spotify": f"https://open.spotify.com/user/{USER}"})
    pid = mf.spotify_id(rng)
    playlist_tracks, liked_tracks = tracks[:120], tracks[120:]
    items = [{"added_at": f"2025-06-{1 + i % 28:02d}T10:00:00Z", "added_by": owner, "is_local": False, "item": t}
             for i, t in enumerate(playlist_tracks)]
    summary = {"collaborative": False, "description": "", "external_urls": {"spotify": f"https://open.spotify.com/playlist/{pid}"},
               "href": f"{mf.API}/playlists/{pid}", "id": pid, "images": [], "name": "Late Evenings", "owner": owner,
               "public": True, "snapshot_id": mf.snapshot_id(rng),
               "items": {"href": f"{mf.API}/playlists/{pid}/items", "total": len(items)}, "type": "playlist",
               "uri": f"spotify:playlist:{pid}"}
    for offset, page in mf.pages(f"/playlists/{pid}/items", items).items():
        mf.write_json(out / "playlists" / pid / f"items-{offset}.json", page)
    for offset, page in mf.pages("/me/playlists", [summary]).items():
        mf.write_json(out / f"me-playlists-{offset}.json", page)
    liked = [{"added_at": f"2025-07-{1 + i % 28:02d}T12:00:00Z", "track": t} for i, t in enumerate(liked_tracks)]
    for offset, page in mf.pages("/me/tracks", liked).items():
        mf.write_json(out / f"me-tracks-{offset}.json", page)
    mf.write_json(out / "me.json", me)
    mf.write_json(out / "features.json", features)
    print(f"{USER}: {len(tracks)} tracks, {len(features)} hidden from the catalog (features in features.json)")


if __name__ == "__main__":
    main()
