"""The song-emotion benchmark behind Scripts/bench-emotion (see there)."""
import argparse
import json
import os
import statistics
import subprocess
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler


def sklearn_mlp():
    # The reference settings of the issue (Moo-Sic's network, as scikit-learn spells it).
    return MLPClassifier(hidden_layer_sizes=(100,), solver="sgd", alpha=0.005, learning_rate_init=0.01,
                         max_iter=1500, random_state=42)


def moosic(args, *command, env=None):
    result = subprocess.run([args.moosic, *command], check=True, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    return json.loads(result.stdout)


def labelled_rows(csv, split_file, features):
    """The rows moosic used: first row of each track id, with moosic's split or fold per id."""
    tracks = pd.read_csv(csv).drop_duplicates("track_id")
    split = pd.read_csv(split_file, dtype={"set": str})
    rows = split.merge(tracks, on="track_id", how="left", validate="one_to_one")
    x = rows[features].astype(float).to_numpy()
    y = (rows["track_genre"] == "happy").astype(int).to_numpy()
    return x, y, rows["set"].to_numpy()


def fit_and_score(model, x_train, y_train, x_test, y_test, scale=True):
    if scale:
        scaler = MinMaxScaler().fit(x_train)
        x_train, x_test = scaler.transform(x_train), np.clip(scaler.transform(x_test), 0, 1)
    start = time.perf_counter()
    model.fit(x_train, y_train)
    seconds = time.perf_counter() - start
    p = model.predict_proba(x_test)[:, 1]
    return seconds, accuracy_score(y_test, p >= 0.5), roc_auc_score(y_test, p)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--moosic", required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    model_file = os.path.join(args.work, "song_emotion.json")
    split_file = os.path.join(args.work, "split.csv")

    print(f"training time, train/validation split of moosic (80/20, grouped), {args.runs} run(s) each, alternating")
    m_times, m_walls, s_times = [], [], []
    for run in range(args.runs):
        start = time.perf_counter()
        m = moosic(args, "train", "emotion", "--data", args.csv, "--out", model_file, "--split-out", split_file, "--json",
                   env={"MOOSIC_HOME": os.path.join(args.work, "home")})
        m_walls.append(time.perf_counter() - start)
        m_times.append(m["seconds"])
        features = json.load(open(model_file))["features"]
        x, y, sets = labelled_rows(args.csv, split_file, features)
        train, test = sets == "train", sets == "validation"
        seconds, s_acc, s_auc = fit_and_score(sklearn_mlp(), x[train], y[train], x[test], y[test])
        s_times.append(seconds)
        print(f"  run {run + 1}: moosic fit {m['seconds']:.3f} s (whole command {m_walls[-1]:.2f} s), "
              f"sklearn fit {seconds:.3f} s")
    mt, st = statistics.median(m_times), statistics.median(s_times)
    print(f"rows: {int(train.sum())} train, {int(test.sum())} validation; features: {','.join(features)}")
    print(f"moosic  (Swift MLP {m['epochs']} epochs): fit median {mt:.3f} s, validation accuracy {m['accuracy']:.4f}, AUC {m['auc']:.4f}")
    print(f"sklearn MLPClassifier(100, sgd, alpha=0.005, lr=0.01, max_iter=1500): fit median {st:.3f} s, "
          f"validation accuracy {s_acc:.4f}, AUC {s_auc:.4f}")
    print(f"time ratio moosic / sklearn: {mt / st:.3f}")

    print("5-fold cross-validation (moosic's grouped folds)")
    folds_file = os.path.join(args.work, "folds.csv")
    cv = moosic(args, "eval", "emotion", "--data", args.csv, "--cv", "5", "--split-out", folds_file, "--json")
    print(f"  moosic MLP:        accuracy {cv['accuracy']:.4f}  AUC {cv['auc']:.4f}  F1 {cv['f1']:.4f}  ({cv['seconds']:.1f} s)")
    x, y, sets = labelled_rows(args.csv, folds_file, features)
    for name, make, scale in [("sklearn MLP", sklearn_mlp, True),
                              ("sklearn forest", lambda: RandomForestClassifier(300, random_state=42), False)]:
        accs, aucs = [], []
        for fold in sorted(set(sets)):
            test = sets == fold
            _, acc, auc = fit_and_score(make(), x[~test], y[~test], x[test], y[test], scale)
            accs.append(acc)
            aucs.append(auc)
        print(f"  {name + ':':18} accuracy {np.mean(accs):.4f}  AUC {np.mean(aucs):.4f}")

    print("scoring the whole catalog (import of the file, then every track scored in one transaction)")
    imported = moosic(args, "catalog", "import", "--skip-invalid", args.csv, "--json",
                      env={"MOOSIC_HOME": os.path.join(args.work, "catalog"), "MOOSIC_MODELS": args.work})
    print(f"  {imported['emotion_scored']} tracks: network {imported['emotion_inference_seconds']:.3f} s; "
          f"read, score, write and commit {imported['emotion_seconds']:.3f} s")


if __name__ == "__main__":
    main()
