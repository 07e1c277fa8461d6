"""Evaluate Models/face_mood.onnx with OpenCV dnn alone (no PyTorch).

publictest happy+sad (original FER2013 labels): accuracy at P(happy) >= 0.5, ROC AUC, ECE
(10 equal-width bins over P(happy)); network forward time per face (median of --runs runs after
warm-up, cv2.setNumThreads(--threads)). Prints a JSON object; --json also writes it to a file.
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from face_mood import data, metrics  # noqa: E402


def input_size(path):
    m = onnx.load(path)
    dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    if len(dims) != 4 or dims[1] != 1 or dims[2] != dims[3]:
        raise ValueError(f"unexpected input shape {dims}")
    return dims[2]


def photos_check(net, size, root):
    """Sanity check only (never used for training or selection): the shared LFW news photos, largest
    Haar-cascade face (OpenCV's haarcascade_frontalface_default), crop -> grey -> 48x48 INTER_AREA ->
    SxS INTER_LINEAR, as the model card specifies."""
    import csv
    labels_csv = os.path.join(root, "photos", "labels.csv")
    if not os.path.exists(labels_csv):
        return None
    cascade = cv2.CascadeClassifier(os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml"))
    with open(labels_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    p, lab, missed = [], [], 0
    for r in rows:
        img = cv2.imread(os.path.join(root, "photos", r["file"]))
        if img is None:
            missed += 1
            continue
        g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        faces = cascade.detectMultiScale(g, 1.1, 5, minSize=(40, 40))
        if len(faces) == 0:
            missed += 1
            continue
        x, y, w, h = max(faces, key=lambda b: b[2] * b[3])
        crop = g[y:y + h, x:x + w]
        f48 = cv2.resize(crop, (48, 48), interpolation=cv2.INTER_AREA if w >= 48 else cv2.INTER_LINEAR)
        fs = cv2.resize(f48, (size, size), interpolation=cv2.INTER_LINEAR)
        net.setInput(fs.astype(np.float32)[None, None])
        p.append(float(net.forward().ravel()[0]))
        lab.append(r["label"])
    p, lab = np.array(p), np.array(lab)
    out = {"photos": len(rows), "no_face": missed}
    for name in ("happy", "sad", "neutral"):
        m = lab == name
        out[f"{name}_n"] = int(m.sum())
        out[f"{name}_mean_p"] = float(p[m].mean()) if m.any() else None
    m = np.isin(lab, ["happy", "sad"])
    y = (lab[m] == "happy").astype(np.int64)
    out["happy_vs_sad_accuracy"] = metrics.accuracy(p[m], y)
    out["happy_vs_sad_auc"] = metrics.roc_auc(p[m], y)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--data", default=data.data_root())
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    cv2.setNumThreads(args.threads)
    size = input_size(args.onnx)
    net = cv2.dnn.readNetFromONNX(args.onnx)
    x, y, _ = data.load_publictest(args.data, size)
    p = np.empty(len(x))
    for i in range(len(x)):
        net.setInput(x[i].astype(np.float32)[None, None])
        p[i] = float(net.forward().ravel()[0])
    r = metrics.summary(p, y)
    r["faces"] = int(len(y))
    r["happy"] = int(y.sum())

    blob = x[0].astype(np.float32)[None, None]
    for _ in range(20):
        net.setInput(blob)
        net.forward()
    ts = []
    for i in range(args.runs):
        net.setInput(x[i % len(x)].astype(np.float32)[None, None])
        t = time.perf_counter()
        net.forward()
        ts.append(time.perf_counter() - t)
    ts = np.array(ts) * 1000
    r.update({"forward_ms_median": float(np.median(ts)), "forward_ms_p10": float(np.percentile(ts, 10)),
              "forward_ms_p90": float(np.percentile(ts, 90)), "forward_runs": args.runs,
              "threads": args.threads, "input_size": size, "cv2_version": cv2.__version__,
              "onnx_bytes": os.path.getsize(args.onnx)})
    r["photos_sanity_check"] = photos_check(net, size, args.data)
    try:
        r["loadavg_1min"] = os.getloadavg()[0]
    except OSError:
        pass
    s = json.dumps(r, indent=1)
    print(s)
    if args.json:
        with open(args.json, "w") as f:
            f.write(s + "\n")


if __name__ == "__main__":
    main()
