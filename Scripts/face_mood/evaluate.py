"""Evaluate Models/face_mood.onnx with OpenCV dnn alone (no PyTorch); works for any graph with a `score` output
(and uses its `probabilities` output where it has one).

publictest happy+sad (original FER2013 labels): accuracy at score >= 0.5, ROC AUC, ECE
(10 equal-width bins over the score) and ECE of P(happy) / (P(happy) + P(sad)); publictest neutral faces:
median score, shares < 0.25 / > 0.75; bands (metrics.bands) over happy, neutral and sad;
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


def read(net, x, has_probabilities):
    """The score and (where the graph has them) the happy / neutral / sad probabilities of one input."""
    net.setInput(x.astype(np.float32)[None, None])
    if has_probabilities:
        score, p = net.forward(["score", "probabilities"])
        return float(score.ravel()[0]), p.ravel().astype(np.float64)
    return float(net.forward("score").ravel()[0]), None


def photos_figures(net, size, root, has_probabilities):
    """The shared photos (labels.csv), cut as the C++ side cuts them (photos.py: Haar alt2 with
    Models/face_mood.json's settings, largest face, crop_scale square, grey, 48x48, SxS): faces found,
    happy+sad accuracy / AUC / ECE, neutral median and shares below 0.25 / above 0.75. These are the
    shipped graph's figures, i.e. in-sample for a calibration fitted on these photos (export.json has
    the cross-validated ones)."""
    labels_csv = os.path.join(root, "photos", "labels.csv")
    if not os.path.exists(labels_csv):
        return None
    rows = photos.load(root, REPO)
    sc, lab, pr = [], [], []
    for r in rows:
        if r["face48"] is None:
            continue
        s, p = read(net, photos.to_input(r["face48"], size), has_probabilities)
        sc.append(s)
        pr.append(p)
        lab.append(r["label"])
    sc, lab = np.array(sc), np.array(lab)
    hs = sum(r["label"] in ("happy", "sad") for r in rows)
    out = {"photos": len(rows), "no_face": sum(r["face48"] is None for r in rows),
           "happy_sad_faces_found": float(np.isin(lab, ["happy", "sad"]).sum() / hs)}
    m = np.isin(lab, ["happy", "sad"])
    out.update(metrics.summary(sc[m], (lab[m] == "happy").astype(np.int64)))
    if has_probabilities:
        out["ece_happy_vs_sad"] = metrics.ece(metrics.happy_against_sad(np.array(pr)[m]), (lab[m] == "happy").astype(np.int64))
    out.update(metrics.neutral_summary(sc[lab == "neutral"]))
    out.update(metrics.bands(sc, lab))
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
    has_probabilities = any(o.name == "probabilities" for o in onnx.load(args.onnx).graph.output)
    x, y, _ = data.load_publictest(args.data, size)
    readings = [read(net, xi, has_probabilities) for xi in x]
    p = np.array([s for s, _ in readings])
    r = metrics.summary(p, y)
    if has_probabilities:
        r["ece_happy_vs_sad"] = metrics.ece(metrics.happy_against_sad(np.array([q for _, q in readings])), y)
    r["faces"] = int(len(y))
    r["happy"] = int(y.sum())
    xn = data.load_publictest_neutral(args.data, size)
    pn = np.array([read(net, xi, has_probabilities)[0] for xi in xn])
    r["publictest_neutral"] = metrics.neutral_summary(pn)
    r["publictest_bands"] = metrics.bands(np.concatenate([p, pn]),
                                          [("happy" if v else "sad") for v in y] + ["neutral"] * len(pn))

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
    r["photos"] = None if args.no_photos else photos_figures(net, size, args.data, has_probabilities)
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
