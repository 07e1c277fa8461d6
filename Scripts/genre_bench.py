"""Helpers of Scripts/bench-genres: the shared 90/10 split, scikit-learn's side, and the report.

    genre_bench.py split <tracks.csv> <dir>     writes <dir>/train.csv and <dir>/test.csv
    genre_bench.py sklearn <dir> [trees]        fits and scores RandomForestClassifier, prints JSON
    genre_bench.py report <dir>                 prints both sides and the ratios
"""
import csv
import hashlib
import json
import sys
import time

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]


def split(source, folder):
    """90/10 by track id (md5 of the id), so a track listed under several genres is on one side.
    Rows without artists or title are dropped, as moosic skips them as invalid."""
    with open(source, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        tid, artists, name = header.index("track_id"), header.index("artists"), header.index("track_name")
        with open(f"{folder}/train.csv", "w", newline="") as a, open(f"{folder}/test.csv", "w", newline="") as b:
            train, test = csv.writer(a), csv.writer(b)
            train.writerow(header)
            test.writerow(header)
            counts = [0, 0]
            for row in reader:
                if not row[artists].strip() or not row[name].strip():
                    continue
                held_out = int(hashlib.md5(row[tid].encode()).hexdigest(), 16) % 10 == 0
                (test if held_out else train).writerow(row)
                counts[held_out] += 1
    print(f"split: {counts[0]} training rows, {counts[1]} test rows", file=sys.stderr)


def sklearn_side(folder, trees):
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    train = pd.read_csv(f"{folder}/train.csv")
    test = pd.read_csv(f"{folder}/test.csv")
    x, y = train[FEATURES].to_numpy(np.float32), train["track_genre"].to_numpy()
    model = RandomForestClassifier(n_estimators=trees, max_features="sqrt", n_jobs=2, random_state=0)
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    xt, yt = test[FEATURES].to_numpy(np.float32), test["track_genre"].to_numpy()
    start = time.perf_counter()
    p = model.predict_proba(xt)
    predict_seconds = time.perf_counter() - start
    classes = model.classes_
    labels = np.searchsorted(classes, yt)
    top1 = float((p.argmax(axis=1) == labels).mean())
    top5 = float((np.argsort(-p, axis=1, kind="stable")[:, :5] == labels[:, None]).any(axis=1).mean())
    nodes = int(sum(t.tree_.node_count for t in model.estimators_))
    print(json.dumps({"n": int(len(yt)), "accuracy": top1, "top5": top5, "seconds": seconds,
                      "predict_seconds": predict_seconds, "rows_per_second": len(yt) / predict_seconds,
                      "nodes": nodes}))


def report(folder):
    train = json.load(open(f"{folder}/moosic-train.json"))
    ev = json.load(open(f"{folder}/moosic-eval.json"))
    sk = json.load(open(f"{folder}/sklearn.json"))
    rss = {side: int(open(f"{folder}/{side}.rss").read().split()[-1]) / 1024 for side in ("moosic", "sklearn")}
    print(f"{'':24}{'moosic':>14}{'scikit-learn':>14}")
    print(f"{'test rows':24}{ev['n']:>14}{sk['n']:>14}")
    print(f"{'accuracy':24}{ev['accuracy']:>14.4f}{sk['accuracy']:>14.4f}")
    print(f"{'top-5':24}{ev['top5']:>14.4f}{sk['top5']:>14.4f}")
    print(f"{'macro-F1':24}{ev['macro_f1']:>14.4f}{'':>14}")
    print(f"{'training seconds':24}{train['seconds']:>14.2f}{sk['seconds']:>14.2f}")
    print(f"{'prediction rows/s':24}{ev['rows_per_second']:>14.0f}{sk['rows_per_second']:>14.0f}")
    print(f"{'peak RSS (MB)':24}{rss['moosic']:>14.0f}{rss['sklearn']:>14.0f}")
    print(f"{'nodes':24}{train['nodes']:>14}{sk['nodes']:>14}")
    print(f"training time ratio moosic / scikit-learn: {train['seconds'] / sk['seconds']:.3f}")
    print(f"prediction throughput ratio moosic / scikit-learn: {ev['rows_per_second'] / sk['rows_per_second']:.2f}")
    print(f"accuracy difference: {100 * (ev['accuracy'] - sk['accuracy']):+.2f} points, "
          f"top-5: {100 * (ev['top5'] - sk['top5']):+.2f} points")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "split":
        split(sys.argv[2], sys.argv[3])
    elif command == "sklearn":
        sklearn_side(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 160)
    elif command == "report":
        report(sys.argv[2])
    else:
        sys.exit(f"unknown command {command}")
