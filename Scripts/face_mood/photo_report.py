"""Figures of the face-mood score over the photos of labels.csv, from `moosic mood --photo --json` readings.

Input: labels.csv, and a TSV of `file<TAB>exit code<TAB>JSON output` lines (one per photo). Prints a JSON
object: overall and per source (the `source` column of labels.csv; per class when it has none) —
faces found, happy+sad accuracy / ROC AUC / ECE (10 bins) of the score and ECE of P(happy) / (P(happy) +
P(sad)) (the readings' `probabilities`), neutral median and shares < 0.25 / > 0.75, mean score per class,
the share of each class's faces in its own band (sad < 0.35 <= neutral < 0.65 <= happy: MoodBand), their
mean, and the 3x3 confusion of classes (rows) and bands (columns), both in the order sad, neutral, happy. With --cv EXPORT_JSON (Scripts/train-face-mood's export.json, used only if its
onnx_sha256 is the evaluated model's) it adds the cross-validated figures of the calibration and the
largest difference between these readings and the training script's own (Python) crops.
"""
import argparse
import csv
import hashlib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from face_mood import metrics  # noqa: E402

TARGETS = ("band accuracy (mean over happy, neutral, sad) >= 0.88 overall and >= 0.80 in every source; happy vs sad "
           "accuracy >= 0.96 with ECE of P(happy)/(P(happy)+P(sad)) <= 0.05; neutral median in [0.35, 0.65]; faces found >= 0.99")


def figures(scores, labels, found, ratios=None):
    scores, labels, found = np.asarray(scores, float), np.asarray(labels), np.asarray(found, bool)
    hs = np.isin(labels, ["happy", "sad"])
    r = {"photos": int(len(labels)), "happy_sad": int(hs.sum()), "happy_sad_faces_found": int((hs & found).sum()),
         "faces_found": float((hs & found).sum() / max(1, hs.sum())), "neutral": int((labels == "neutral").sum()),
         "neutral_faces_found": int(((labels == "neutral") & found).sum())}
    m = hs & found
    if m.any() and len(set(labels[m])) == 2:
        r.update(metrics.summary(scores[m], (labels[m] == "happy").astype(np.int64)))
    mn = (labels == "neutral") & found
    if mn.any():
        r.update(metrics.neutral_summary(scores[mn]))
        r["neutral_outside_025_075"] = r["neutral_below_025"] + r["neutral_above_075"]
    if ratios is not None and m.any():
        ratios = np.asarray(ratios, float)
        if not np.isnan(ratios[m]).any():
            r["ece_happy_vs_sad"] = metrics.ece(ratios[m], (labels[m] == "happy").astype(np.int64))
    for c in ("happy", "sad", "neutral"):
        mc = (labels == c) & found
        if mc.any():
            r[f"{c}_mean_score"] = float(scores[mc].mean())
    mb = found & np.isin(labels, metrics.CLASSES)
    b = metrics.bands(scores[mb], labels[mb])
    r["confusion_rows_class_columns_band_sad_neutral_happy"] = b["confusion_rows_class_columns_band"]
    r["band_accuracy"] = b["band_accuracy"]
    if b["band_accuracy_mean"] is not None:
        r["band_accuracy_mean"] = b["band_accuracy_mean"]
    return r


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", required=True)
    ap.add_argument("--readings", required=True)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--cv")
    args = ap.parse_args(argv)
    rows = list(csv.DictReader(open(args.labels, newline="")))
    readings = {}
    for line in open(args.readings):
        fn, code, js = line.rstrip("\n").split("\t", 2)
        readings[fn] = (int(code), json.loads(js) if code == "0" else None)
    files, labels, sources, scores, found, ratios = [], [], [], [], [], []
    for r in rows:
        code, js = readings[r["file"]]
        if code not in (0, 65):
            raise SystemExit(f"{r['file']}: moosic exit {code}")
        files.append(r["file"])
        labels.append(r["label"])
        sources.append(r.get("source") or r["label"])
        found.append(js is not None)
        scores.append(js["score"] if js is not None else np.nan)
        p = (js or {}).get("probabilities")
        ratios.append(p["happy"] / (p["happy"] + p["sad"]) if p and p["happy"] + p["sad"] > 0 else np.nan)
    labels, sources, ratios = np.array(labels), np.array(sources), np.array(ratios)
    out = {"targets": TARGETS, "all": figures(scores, labels, found, ratios), "per_source": {}}
    for src in sorted(set(sources)):
        m = sources == src
        out["per_source"][src] = figures(np.array(scores)[m], labels[m], np.array(found)[m], ratios[m])
    if args.cv and os.path.exists(args.cv):
        ex = json.load(open(args.cv))
        sha = hashlib.sha256(open(args.onnx, "rb").read()).hexdigest()
        if ex.get("onnx_sha256") == sha:
            cv = ex["photo_scores_cv"]
            s_cv = [cv.get(f, np.nan) for f in files]
            f_cv = [f in cv for f in files]
            out["cross_validated"] = {"how": f"calibration fitted on {ex['folds'] - 1} of {ex['folds']} stratified folds, "
                                             "each photo scored by the fit without it (Scripts/train-face-mood)",
                                      "all": figures(s_cv, labels, f_cv, None), "per_source": {}}
            for src in sorted(set(sources)):
                m = sources == src
                out["cross_validated"]["per_source"][src] = figures(np.array(s_cv)[m], labels[m], np.array(f_cv)[m], None)
            py = ex["photo_scores"]
            d = [abs(py[f] - s) for f, s, ok in zip(files, scores, found) if ok and f in py]
            out["swift_vs_training_crops"] = {"photos_compared": len(d), "max_abs_score_difference": float(max(d)) if d else None,
                                              "faces_found_only_by_one": int(sum((f in py) != ok for f, ok in zip(files, found)))}
        else:
            out["cross_validated"] = "no record for this model (export.json is of another ONNX file)"
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
