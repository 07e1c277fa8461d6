"""Calibrate on whole-photo crops by cross-validation, export the three-way score graph to ONNX for
OpenCV 4.6 dnn, verify it against PyTorch.

Reads --work/checkpoint.pt, writes --onnx and --work/export.json.

The score is P(happy) + 1/2 P(neutral), P the softmax over the network's happy / neutral / sad logits z.
Calibration: z / T + [b_happy, b_neutral, 0] (3 parameters: one temperature, two biases)
minimising the cross-entropy of the score against 1 (happy photo), 0 (sad) and 1/2 (neutral), the neutral
photos weighing twice as much as each of the other two classes, over the $MOOSIC_DEV_DATA/photos crops (cut as the C++
side cuts them, photos.py). Its figures are by stratified k-fold cross-validation (each photo scored by
the parameters fitted on the other folds); the shipped parameters are fitted on all photos.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from face_mood import data, metrics, photos  # noqa: E402
from face_mood.model import FaceMoodNet, MoodScore  # noqa: E402

# issue 14 targets
TARGETS = {"fer_accuracy": 0.955, "fer_auc": 0.99, "photo_found": 0.99, "photo_accuracy": 0.96, "photo_ece": 0.04,
           "neutral_median": (0.35, 0.65), "neutral_outside": 0.15}
OPSET = 10  # Clip (ReLU6) with min/max attributes, the only form OpenCV 4.6's ONNX importer reads
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDS = 10
CV_SEED = 14


@torch.no_grad()
def logits3(net, rows3, imgs, flip=False, batch=256):
    out = []
    for i in range(0, len(imgs), batch):
        x = torch.from_numpy(np.ascontiguousarray(imgs[i:i + batch])).float().unsqueeze(1)
        z = net.logit(x)[:, rows3]
        if flip:
            z = 0.5 * (z + net.logit(x.flip(3))[:, rows3])
        out.append(z)
    return torch.cat(out).numpy().astype(np.float64)


def score(z, theta):
    th, tn, ts, bh, bn = theta
    return metrics.mood_score(metrics.probabilities(z / np.array([th, tn, ts]) + np.array([bh, bn, 0.0])))


# Calibration family, chosen by cross-validation on the photos (issue 14 session of 2026-12-02): one
# temperature shared by the three logits and biases for happy and neutral, the neutral photos weighing twice
# as much as each of the other classes. One temperature per class fitted a degenerate T_happy of ~1.6e6 (the
# happy logit ignored) and left 28 % of the neutral photos outside [0.25, 0.75]; with equal class weights
# the neutral median fell to 0.34. The score cannot be both: the network puts sad LFW photos (mean 0.29
# uncalibrated) near neutral ones (0.42), so pulling sad photos to 0 for a low ECE pulls neutral ones with them.
NEUTRAL_WEIGHT = 2.0


def fit_theta(z, target):
    """Calibration parameters (T, T, T, b_happy, b_neutral): z / T + b (b_sad = 0), minimising the
    cross-entropy of the score against target (1 happy / 0 sad / 0.5 neutral); each class weighs the same in
    total except neutral, which weighs NEUTRAL_WEIGHT times as much."""
    zt = torch.tensor(z)
    tt = torch.tensor(target)
    w = torch.zeros(len(target), dtype=torch.float64)
    for v in (0.0, 0.5, 1.0):
        m = tt == v
        if m.any():
            w[m] = (NEUTRAL_WEIGHT if v == 0.5 else 1.0) / float(m.sum())
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t, b], lr=0.5, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        zz = zt / torch.exp(log_t) + torch.cat([b, torch.zeros(1, dtype=torch.float64)])
        p = torch.softmax(zz, dim=1)
        sc = (p[:, 0] + 0.5 * p[:, 1]).clamp(1e-7, 1 - 1e-7)
        loss = (w * -(tt * torch.log(sc) + (1 - tt) * torch.log(1 - sc))).sum() / w.sum() + 1e-3 * (b ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    t = float(torch.exp(log_t).detach())
    return (t, t, t, float(b[0].detach()), float(b[1].detach()))


def folds(labels, k, seed):
    """Stratified fold index per photo (labels: array of class names)."""
    rng = np.random.default_rng(seed)
    f = np.empty(len(labels), dtype=np.int64)
    for c in sorted(set(labels)):
        idx = np.flatnonzero(labels == c)
        idx = idx[rng.permutation(len(idx))]
        f[idx] = np.arange(len(idx)) % k
    return f


def photo_figures(sc, labels, sources=None):
    """Figures over the photos with a face: happy+sad accuracy / AUC / ECE, neutral stats, per source."""
    m = np.isin(labels, ["happy", "sad"])
    y = (labels[m] == "happy").astype(np.int64)
    r = metrics.summary(sc[m], y)
    r["n_happy_sad"] = int(m.sum())
    r.update(metrics.neutral_summary(sc[labels == "neutral"]))
    for c in ("happy", "sad", "neutral"):
        r[f"{c}_mean"] = float(sc[labels == c].mean())
    if sources is not None:
        r["per_source"] = {}
        for src in sorted(set(sources)):
            ms = sources == src
            ys = m & ms
            rs = metrics.summary(sc[ys], (labels[ys] == "happy").astype(np.int64))
            rs["n_happy_sad"] = int(ys.sum())
            rs.update(metrics.neutral_summary(sc[ms & (labels == "neutral")]))
            r["per_source"][src] = rs
    return r


def target_of(labels):
    return np.where(labels == "happy", 1.0, np.where(labels == "sad", 0.0, 0.5))


def cross_validated(z, labels):
    f = folds(labels, FOLDS, CV_SEED)
    sc = np.empty(len(labels))
    thetas = []
    for k in range(FOLDS):
        tr = f != k
        th = fit_theta(z[tr], target_of(labels[tr]))
        thetas.append(th)
        sc[f == k] = score(z[f == k], th)
    return sc, thetas


def n_met(fer, ph):
    return (int(fer["accuracy"] >= TARGETS["fer_accuracy"]) + int(fer["auc"] >= TARGETS["fer_auc"]) +
            int(ph["accuracy"] >= TARGETS["photo_accuracy"]) + int(ph["ece"] <= TARGETS["photo_ece"]) +
            int(TARGETS["neutral_median"][0] <= ph["neutral_median"] <= TARGETS["neutral_median"][1]) +
            int(ph["neutral_below_025"] + ph["neutral_above_075"] <= TARGETS["neutral_outside"]))


def simplify_for_opencv(path):
    """Constants and Identity-of-constant nodes become initializers; checks the op set."""
    m = onnx.load(path)
    g = m.graph
    inits = {i.name for i in g.initializer}
    keep = []
    rename = {}
    for n in g.node:
        if n.op_type == "Constant":
            t = onnx.helper.get_attribute_value(n.attribute[0])
            t.name = n.output[0]
            g.initializer.append(t)
            inits.add(n.output[0])
            continue
        if n.op_type == "Identity" and n.input[0] in inits:
            rename[n.output[0]] = n.input[0]
            continue
        keep.append(n)
    for n in keep:
        for i, name in enumerate(n.input):
            if name in rename:
                n.input[i] = rename[name]
    for o in g.output:
        if o.name in rename:
            raise RuntimeError("graph output is a constant")
    del g.node[:]
    g.node.extend(keep)
    for n in g.node:
        n.doc_string = ""
        if n.op_type == "Clip":
            attrs = {a.name for a in n.attribute}
            if len(n.input) != 1 or attrs != {"min", "max"}:
                raise RuntimeError(f"Clip node {n.name} is not in attribute form")
    used = {i for n in g.node for i in n.input}
    unused = [i for i in g.initializer if i.name not in used]
    for i in unused:
        g.initializer.remove(i)
    # no initializer may be listed as a graph input
    init_names = {i.name for i in g.initializer}
    ins = [i for i in g.input if i.name not in init_names]
    del g.input[:]
    g.input.extend(ins)
    onnx.checker.check_model(m)
    return m


def expose_probabilities(m):
    """Names the softmax over the calibrated happy / neutral / sad logits `probabilities` and makes it a
    second graph output ([1, 3]: P(happy), P(neutral), P(sad)), beside `score` = P(happy) + 1/2 P(neutral):
    moosic reports both (`mood --json`), and `eval mood` measures the calibration of P(happy) / (P(happy) +
    P(sad)). The graph computes nothing more; a model without this output still gives the score."""
    g = m.graph
    softmax = [n for n in g.node if n.op_type == "Softmax"]
    if len(softmax) != 1:
        raise RuntimeError(f"expected one Softmax node, found {len(softmax)}")
    old = softmax[0].output[0]
    if old != "probabilities":
        softmax[0].output[0] = "probabilities"
        for n in g.node:
            for i, name in enumerate(n.input):
                if name == old:
                    n.input[i] = "probabilities"
    if not any(o.name == "probabilities" for o in g.output):
        g.output.append(onnx.helper.make_tensor_value_info("probabilities", onnx.TensorProto.FLOAT, [1, 3]))
    if not any(p.key == "probabilities" for p in m.metadata_props):
        e = m.metadata_props.add()
        e.key, e.value = "probabilities", "happy neutral sad"
    onnx.checker.check_model(m)
    return m


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=data.data_root())
    ap.add_argument("--work", required=True)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--flip", choices=["auto", "0", "1"], default="0",
                    help="bake horizontal-flip averaging into the graph (2 forward passes, about twice the "
                         "forward time); auto: only if it meets at least two more of the issue's other targets than one pass")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    ck = torch.load(os.path.join(args.work, "checkpoint.pt"), map_location="cpu", weights_only=True)
    size, rows3 = ck["size"], ck["rows3"]
    net = FaceMoodNet(size, dropout=ck["dropout"], outputs=ck["outputs"], backbone=ck.get("backbone", "mobilenetv2"))
    net.load_checkpoint_state(ck["state_dict"])
    net.eval()

    xte, yte, _ = data.load_publictest(args.data, size)
    xne = data.load_publictest_neutral(args.data, size)
    prow = photos.load(args.data, REPO)
    found = [r for r in prow if r["face48"] is not None]
    labels = np.array([r["label"] for r in found])
    sources = np.array([r.get("source", "") for r in found])
    xph = np.stack([photos.to_input(r["face48"], size) for r in found])
    n_hs = sum(r["label"] in ("happy", "sad") for r in prow)
    found_hs = sum(r["label"] in ("happy", "sad") for r in found)
    print(f"photos: {len(prow)}, face found in {len(found)} (happy+sad {found_hs}/{n_hs})", flush=True)

    variants = {}
    for flip in ((False,) if args.flip == "0" else (True,) if args.flip == "1" else (False, True)):
        zt, zn, zp = (logits3(net, rows3, x, flip) for x in (xte, xne, xph))
        ident = (1.0, 1.0, 1.0, 0.0, 0.0)
        cv_sc, cv_thetas = cross_validated(zp, labels)
        theta = fit_theta(zp, target_of(labels))
        v = {"uncalibrated": {"fer": metrics.summary(score(zt, ident), yte) | metrics.neutral_summary(score(zn, ident)),
                              "photos": photo_figures(score(zp, ident), labels, sources)},
             "cv": {"photos": photo_figures(cv_sc, labels, sources),
                    "thetas": cv_thetas},
             "theta": theta,
             "final": {"fer": metrics.summary(score(zt, theta), yte) | metrics.neutral_summary(score(zn, theta)),
                       "photos_in_sample": photo_figures(score(zp, theta), labels, sources)}}
        v["targets_met"] = n_met(v["final"]["fer"], v["cv"]["photos"])
        variants["flip" if flip else "single"] = v
        print(f"{'flip-averaged' if flip else 'single pass'}: theta {theta}; uncalibrated {v['uncalibrated']}; "
              f"CV {v['cv']['photos']}; final FER {v['final']['fer']}; targets met {v['targets_met']}", flush=True)
    if args.flip == "auto" and len(variants) == 2:
        # averaging doubles the forward time, i.e. gives up the <= 10 ms target: it must win two others
        use_flip = variants["flip"]["targets_met"] > variants["single"]["targets_met"] + 1
    else:
        use_flip = "flip" in variants and (args.flip == "1" or "single" not in variants)
    chosen = variants["flip" if use_flip else "single"]
    theta = chosen["theta"]
    print(f"exporting the {'flip-averaged' if use_flip else 'single-pass'} graph, T {theta[:3]}, "
          f"b_happy {theta[3]:.4f}, b_neutral {theta[4]:.4f}", flush=True)
    model = MoodScore(net, rows3, temperature=theta[:3], bias=(theta[3], theta[4], 0.0), flip=use_flip).eval()

    os.makedirs(os.path.dirname(os.path.abspath(args.onnx)), exist_ok=True)
    tmp = args.onnx + ".raw"
    torch.onnx.export(model, torch.zeros(1, 1, size, size), tmp, dynamo=False, opset_version=OPSET,
                      input_names=["input"], output_names=["score"], do_constant_folding=True)
    m = expose_probabilities(simplify_for_opencv(tmp))
    os.remove(tmp)
    m.producer_name = "moosic Scripts/train-face-mood"
    m.doc_string = ((("Mean of the logits of the crop and its mirror image. " if use_flip else "") +
                     f"Mood score P(happy) + 1/2 P(neutral) from a grey face crop (P: softmax over happy / neutral / "
                     f"sad). input: float32 [1,1,{size},{size}], grey 0..255, the 48x48 FER2013-style face crop "
                     f"resized to {size}x{size} with cv2 INTER_LINEAR. output score: float32 [1,1] in [0,1]; output "
                     f"probabilities: float32 [1,3], P(happy), P(neutral), P(sad); "
                     f"calibration on whole photos folded in: z / [{theta[0]:.4f}, {theta[1]:.4f}, {theta[2]:.4f}] + "
                     f"[{theta[3]:.4f}, {theta[4]:.4f}, 0]."))
    for k, val in {"input_size": str(size), "temperatures": " ".join(f"{t:.6f}" for t in theta[:3]),
                   "bias_happy": f"{theta[3]:.6f}", "bias_neutral": f"{theta[4]:.6f}", "opset": str(OPSET), "flip_averaged": str(int(use_flip)),
                   "score": "P(happy) + 0.5 P(neutral)"}.items():
        e = m.metadata_props.add()
        e.key, e.value = k, val
    onnx.save(m, args.onnx)
    ops = sorted({n.op_type for n in m.graph.node})

    # verification with OpenCV 4.6 dnn against PyTorch on the real publictest faces and photo crops
    import cv2
    cv2.setNumThreads(args.threads)
    cvnet = cv2.dnn.readNetFromONNX(args.onnx)
    xall = np.concatenate([xte, xph])
    with torch.no_grad():
        ref = np.concatenate([model(torch.from_numpy(xall[i:i + 256]).float().unsqueeze(1)).numpy().ravel()
                              for i in range(0, len(xall), 256)]).astype(np.float64)
    got = np.empty(len(xall))
    for i in range(len(xall)):
        cvnet.setInput(xall[i].astype(np.float32)[None, None])
        got[i] = float(cvnet.forward("score").ravel()[0])
    diff = float(np.abs(got - ref).max())
    print(f"onnx {args.onnx}: {os.path.getsize(args.onnx)} bytes, ops {ops}; cv2 {cv2.__version__} vs torch on "
          f"{len(xall)} faces: max |d score| = {diff:.2e}", flush=True)
    if diff >= 1e-4:
        raise SystemExit(f"cv2 and torch disagree: {diff}")

    import hashlib
    with open(args.onnx, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    files = [r["file"] for r in found]
    zch = logits3(net, rows3, xph, use_flip)
    cv_scores, _ = cross_validated(zch, labels)
    out = {"size": size, "theta": theta, "onnx_sha256": sha,
           "photo_scores": {fn: float(v) for fn, v in zip(files, got[len(xte):])},
           "photo_scores_cv": {fn: float(v) for fn, v in zip(files, cv_scores)},
           "photo_labels": {fn: lab for fn, lab in zip(files, labels)},
           "photos_no_face": [r["file"] for r in prow if r["face48"] is None], "flip_averaged": use_flip, "variants": variants,
           "photos": {"n": len(prow), "found": len(found), "happy_sad": n_hs, "happy_sad_found": found_hs},
           "folds": FOLDS, "cv_seed": CV_SEED, "targets": TARGETS,
           "onnx_bytes": os.path.getsize(args.onnx), "ops": ops,
           "cv2_vs_torch_max_abs_diff": diff, "cv2_vs_torch_faces": len(xall), "opset": OPSET,
           "cv2_version": cv2.__version__, "torch": torch.__version__, "onnx": onnx.__version__}
    with open(os.path.join(args.work, "export.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
