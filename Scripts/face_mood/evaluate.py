"""Evaluate Models/face_mood.onnx with OpenCV dnn alone (no PyTorch); works for any graph with one score output.

publictest happy+sad (original FER2013 labels): accuracy at score >= 0.5, ROC AUC, ECE
(10 equal-width bins over the score); publictest neutral faces: median score, shares < 0.25 / > 0.75;
the shared photos cut as the C++ side does (photos_figures); network forward time per face (median of --runs runs after
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
from face_mood import data, metrics, photos  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def input_size(path):
    m = onnx.load(path)
    dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    if len(dims) != 4 or dims[1] != 1 or dims[2] != dims[3]:
        raise ValueError(f"unexpected input shape {dims}")
    return dims[2]


def photos_figures(net, size, root):
    """The shared photos (labels.csv), cut as the C++ side cuts them (photos.py: Haar alt2 with
    Models/face_mood.json's settings, largest face, crop_scale square, grey, 48x48, SxS): faces found,
    happy+sad accuracy / AUC / ECE, neutral median and shares below 0.25 / above 0.75. These are the
    shipped graph's figures, i.e. in-sample for a calibration fitted on these photos (export.json has
    the cross-validated ones)."""
    labels_csv = os.path.join(root, "photos", "labels.csv")
    if not os.path.exists(labels_csv):
        return None
    rows = photos.load(root, REPO)
    sc, lab = [], []
    for r in rows:
        if r["face48"] is None:
            continue
        net.setInput(photos.to_input(r["face48"], size).astype(np.float32)[None, None])
        sc.append(float(net.forward("score").ravel()[0]))
        lab.append(r["label"])
    sc, lab = np.array(sc), np.array(lab)
    hs = sum(r["label"] in ("happy", "sad") for r in rows)
    out = {"photos": len(rows), "no_face": sum(r["face48"] is None for r in rows),
           "happy_sad_faces_found": float(np.isin(lab, ["happy", "sad"]).sum() / hs)}
    m = np.isin(lab, ["happy", "sad"])
    out.update(metrics.summary(sc[m], (lab[m] == "happy").astype(np.int64)))
    out.update(metrics.neutral_summary(sc[lab == "neutral"]))
    for name in ("happy", "sad", "neutral"):
        out[f"{name}_mean_score"] = float(sc[lab == name].mean())
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--data", default=data.data_root())
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--json")
    ap.add_argument("--no-photos", action="store_true")
    args = ap.parse_args(argv)

    cv2.setNumThreads(args.threads)
    size = input_size(args.onnx)
    net = cv2.dnn.readNetFromONNX(args.onnx)
    x, y, _ = data.load_publictest(args.data, size)
    p = np.empty(len(x))
    for i in range(len(x)):
        net.setInput(x[i].astype(np.float32)[None, None])
        p[i] = float(net.forward("score").ravel()[0])
    r = metrics.summary(p, y)
    r["faces"] = int(len(y))
    r["happy"] = int(y.sum())
    xn = data.load_publictest_neutral(args.data, size)
    pn = np.empty(len(xn))
    for i in range(len(xn)):
        net.setInput(xn[i].astype(np.float32)[None, None])
        pn[i] = float(net.forward("score").ravel()[0])
    r["publictest_neutral"] = metrics.neutral_summary(pn)

    blob = x[0].astype(np.float32)[None, None]
    for _ in range(20):
        net.setInput(blob)
        net.forward("score")
    ts = []
    for i in range(args.runs):
        net.setInput(x[i % len(x)].astype(np.float32)[None, None])
        t = time.perf_counter()
        net.forward("score")
        ts.append(time.perf_counter() - t)
    ts = np.array(ts) * 1000
    r.update({"forward_ms_median": float(np.median(ts)), "forward_ms_p10": float(np.percentile(ts, 10)),
              "forward_ms_p90": float(np.percentile(ts, 90)), "forward_runs": args.runs,
              "threads": args.threads, "input_size": size, "cv2_version": cv2.__version__,
              "onnx_bytes": os.path.getsize(args.onnx)})
    r["photos"] = None if args.no_photos else photos_figures(net, size, args.data)
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
