"""Issue 24's cheap levers, measured on a shipped face-mood graph without training its backbone again.

Every variant is scored on the whole photos ($MOOSIC_DEV_DATA/photos, cut as Sources/CVision/mood.cpp cuts them,
photos.py) and on FER2013 publictest (happy, neutral, sad); the figure that matters is the band accuracy (the share of
each class's faces whose score lies in its own band, sad < 0.35 <= neutral < 0.65 <= happy) and its mean over the three
classes. Beside each variant's photo band mean: the 95 % interval of its difference from the graph as shipped, by a
paired bootstrap over the photos (resampled within each class), so a reader sees which differences 157 photos can tell.

  1. calibration families fitted by 10-fold cross-validation over the photos (each photo scored by parameters fitted
     on the other folds) on the graph's three calibrated logits: the shipped family (one temperature, biases for happy
     and neutral, cross-entropy of the score, neutral photos weighing 2x), a temperature per class, a 3x3 matrix, each
     fitted by the class-balanced 3-class cross-entropy; and the two biases and a temperature chosen to maximise the
     band mean itself (grid);
  2. the input: crop scale and vertical shift, histogram equalisation, CLAHE, eye-based alignment (Haar eye cascade
     inside the face box, the photo turned so the eyes are level), test-time averaging over crops and mirror images;
  3. a new head on the frozen backbone (its 1280 pooled features of every FER2013 training face, unaugmented), trained
     on FER+ votes: three independent classes (softmax) against an ordinal formulation (one score, two cut points:
     P(>= neutral) = sigmoid(s - c1), P(happy) = sigmoid(s - c2)), with and without class-balanced weights, and with
     the FER+ votes mixed with FER2013's own label (alpha = share of the FER+ votes). The photos take no part in
     training these heads: their photo figures are out of sample.

Reads the graph, writes the figures as JSON (--json) and a table on stdout. Run by `Scripts/train-face-mood --levers`.
"""
import argparse
import csv
import json
import os
import sys
import time

import cv2
import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from face_mood import data, metrics, photos  # noqa: E402
from face_mood.export import FOLDS, CV_SEED, fit_theta, folds, target_of  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLASSES = ("happy", "neutral", "sad")  # the graph's order of logits and probabilities
FEATURES, LOGITS = "/Flatten_output_0", "/head3/Gemm_output_0"
BOOTSTRAP = 4000


def in_band(p, labels):
    return np.array([metrics.band(s) for s in metrics.mood_score(p)]) == labels


def figures(p, labels):
    """Band accuracy per class and mean, happy vs sad accuracy / AUC, ECE of P(h)/(P(h)+P(s)), neutral median."""
    b = metrics.bands(metrics.mood_score(p), labels)
    hs = np.isin(labels, ["happy", "sad"])
    y = (labels[hs] == "happy").astype(np.int64)
    sc = metrics.mood_score(p)
    return {"band_accuracy": {k: round(v, 3) for k, v in b["band_accuracy"].items()},
            "band_mean": round(b["band_accuracy_mean"], 3),
            "confusion": b["confusion_rows_class_columns_band"],
            "happy_sad_accuracy": round(metrics.accuracy(sc[hs], y), 3), "auc": round(metrics.roc_auc(sc[hs], y), 4),
            "ece_happy_vs_sad": round(metrics.ece(metrics.happy_against_sad(p[hs]), y), 3),
            "neutral_median": round(float(np.median(sc[labels == "neutral"])), 3)}


class Graph:
    """The shipped ONNX graph in OpenCV 4.6 dnn with its pooled features and calibrated logits as outputs too."""

    def __init__(self, path, work, threads):
        m = onnx.load(path)
        names = {n.output[0] for n in m.graph.node}
        if FEATURES not in names or LOGITS not in names:
            raise SystemExit(f"{path}: not a face-mood graph with {FEATURES} and {LOGITS}")
        for name, width in ((FEATURES, 1280), (LOGITS, 3)):
            m.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, [1, width]))
        self.head = {i.name: onnx.numpy_helper.to_array(i) for i in m.graph.initializer if i.name.startswith("head3.")}
        tmp = os.path.join(work, "levers-graph.onnx")
        onnx.save(m, tmp)
        cv2.setNumThreads(threads)
        self.net = cv2.dnn.readNetFromONNX(tmp)

    def run(self, faces48):
        """[n,48,48] uint8 -> (features [n,1280], logits [n,3]) through the C++ side's 48 -> 112 resize."""
        f, z = [], []
        for x in faces48:
            self.net.setInput(photos.to_input(x, 112).astype(np.float32)[None, None])
            a, b = self.net.forward([FEATURES, LOGITS])
            f.append(a.ravel())
            z.append(b.ravel())
        return np.array(f, dtype=np.float32), np.array(z, dtype=np.float64)


class Photos:
    """Every photo of labels.csv with its Haar box (the largest face), cut again for each input variant."""

    def __init__(self, root):
        s = photos.settings(REPO)
        casc = photos.cascade(s)
        self.s = s
        with open(os.path.join(root, "photos", "labels.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.images, self.boxes, labels = [], [], []
        for r in rows:
            img = cv2.imread(os.path.join(root, "photos", r["file"]), cv2.IMREAD_COLOR)
            faces = [] if img is None else photos.detect_faces(casc, img, s)
            if faces:
                self.images.append(img)
                self.boxes.append(max(faces, key=lambda b: b[2] * b[3]))
                labels.append(r["label"])
        self.labels = np.array(labels)
        self.eye_cascade = next(cv2.CascadeClassifier(os.path.join(d, "haarcascade_eye.xml"))
                                for d in photos.CASCADE_DIRS if d and os.path.exists(os.path.join(d, "haarcascade_eye.xml")))

    def crop(self, img, box, scale=None, shift=None, angle=0.0):
        """photos.crop48 of the box, the photo first turned by angle degrees about the box's centre."""
        if angle:
            x, y, w, h = box
            m = cv2.getRotationMatrix2D((x + w / 2, y + h / 2), angle, 1.0)
            img = cv2.warpAffine(img, m, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REPLICATE)
        return photos.crop48(img, box, self.s, scale=scale, shift=shift)

    def eye_angle(self, img, box):
        """Degrees to turn the photo so the two eyes found in the face box's upper half are level (0: not two eyes)."""
        x, y, w, h = (int(round(v)) for v in box)
        grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)[max(0, y):y + h // 2 + h // 10, max(0, x):x + w]
        found = self.eye_cascade.detectMultiScale(grey, 1.1, 3, 0, (max(8, w // 10),) * 2, (w // 3,) * 2)
        if len(found) < 2:
            return 0.0
        a, b = sorted(sorted(found, key=lambda e: -e[2] * e[3])[:2], key=lambda e: e[0])
        (ax, ay), (bx, by) = (a[0] + a[2] / 2, a[1] + a[3] / 2), (b[0] + b[2] / 2, b[1] + b[3] / 2)
        if bx - ax < 0.2 * w:
            return 0.0
        angle = float(np.degrees(np.arctan2(by - ay, bx - ax)))
        return angle if abs(angle) < 25 else 0.0

    def faces(self, **kw):
        return np.stack([self.crop(i, b, **kw) for i, b in zip(self.images, self.boxes)])


def paired_interval(a, b, labels, rng):
    """95 % interval of band mean(a) - band mean(b) (a, b: in-band booleans per photo), resampled within classes."""
    idx = {c: np.flatnonzero(labels == c) for c in CLASSES}
    d = np.empty(BOOTSTRAP)
    for i in range(BOOTSTRAP):
        pick = {c: rng.choice(v, len(v)) for c, v in idx.items()}
        d[i] = np.mean([a[pick[c]].mean() - b[pick[c]].mean() for c in CLASSES])
    return [round(float(v), 3) for v in np.percentile(d, [2.5, 97.5])]


def fit_map(z, y, kind, neutral_weight=1.0):
    """A calibration map over 3 logits fitted by class-balanced 3-class cross-entropy: 'T' (one temperature and
    biases for happy and neutral), 'T3' (a temperature per class), 'M' (identity plus a 3x3 matrix)."""
    zt, yt = torch.tensor(z), torch.tensor(y)
    w = torch.zeros(len(y), dtype=torch.float64)
    for c in range(3):
        w[yt == c] = (neutral_weight if c == 1 else 1.0) / float((yt == c).sum())
    shape = {"T": (1,), "T3": (3,), "M": (3, 3)}[kind]
    a = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(2, dtype=torch.float64, requires_grad=True)

    def apply(x):
        x = x @ (torch.eye(3, dtype=torch.float64) + a) if kind == "M" else x * torch.exp(a)
        return x + torch.cat([b, torch.zeros(1, dtype=torch.float64)])
    opt = torch.optim.LBFGS([a, b], lr=0.5, max_iter=300, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        lp = torch.log_softmax(apply(zt), 1)
        loss = -(w * lp[torch.arange(len(y)), yt]).sum() / w.sum() + 1e-3 * ((a ** 2).sum() + (b ** 2).sum())
        loss.backward()
        return loss
    opt.step(closure)
    return lambda x: apply(torch.tensor(x)).detach().numpy()


BAND_GRID = [(bh, bn, t) for bh in np.arange(-1.5, 1.51, 0.1) for bn in np.arange(-1.5, 1.51, 0.1) for t in (0.7, 1.0, 1.4)]


def fit_band_grid(z, labels):
    """Biases for happy and neutral and a temperature maximising the band mean (ties: the smallest change)."""
    def apply(x, g):
        return x * g[2] + np.array([g[0], g[1], 0.0])

    def mean(g):
        ok = in_band(metrics.probabilities(apply(z, g)), labels)
        return np.mean([ok[labels == c].mean() for c in CLASSES])
    values = [mean(g) for g in BAND_GRID]
    top = max(values)
    best = min((g for g, v in zip(BAND_GRID, values) if v >= top - 1e-12),
               key=lambda g: abs(g[0]) + abs(g[1]) + abs(np.log(g[2])))
    return lambda x: apply(x, best)


def cross_validated(z, labels, fit):
    f = folds(labels, FOLDS, CV_SEED)
    out = np.empty_like(z)
    for k in range(FOLDS):
        out[f == k] = fit(z[f != k], labels[f != k])(z[f == k])
    return out


def head(features, t3, kind, weights, weight_decay=1e-4):
    """A linear head on standardised features trained by full-batch L-BFGS on soft targets t3 (happy, neutral, sad):
    'softmax' (3 logits) or 'ordinal' (one score, two ordered cut points). Returns features -> probabilities."""
    torch.manual_seed(0)
    x = torch.tensor(features)
    mu, sd = x.mean(0), x.std(0) + 1e-3
    x = (x - mu) / sd
    t = torch.tensor(t3) * torch.tensor(weights, dtype=torch.float32)
    if kind == "softmax":
        w, c = torch.zeros(x.shape[1], 3, requires_grad=True), torch.zeros(3, requires_grad=True)
    else:
        w, c = torch.zeros(x.shape[1], 1, requires_grad=True), torch.tensor([-1.0, 1.0], requires_grad=True)

    def probabilities(h):
        if kind == "softmax":
            return torch.softmax(h @ w + c, 1)
        s = (h @ w).squeeze(1)
        cuts = torch.cumsum(torch.cat([c[:1], torch.nn.functional.softplus(c[1:])]), 0)
        above_sad, happy = torch.sigmoid(s - cuts[0]), torch.sigmoid(s - cuts[1])
        return torch.stack([happy, (above_sad - happy).clamp_min(1e-7), (1 - above_sad).clamp_min(1e-7)], 1)
    opt = torch.optim.LBFGS([w, c], lr=1, max_iter=300, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = -(t * torch.log(probabilities(x).clamp_min(1e-7))).sum(1).mean() + weight_decay * (w ** 2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return lambda f: probabilities((torch.tensor(f) - mu) / sd).detach().numpy().astype(np.float64)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=data.data_root())
    ap.add_argument("--onnx", default=os.path.join(REPO, "Models", "face_mood.onnx"))
    ap.add_argument("--work", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.time()
    rng = np.random.default_rng(24)
    graph = Graph(args.onnx, args.work, args.threads)
    ph = Photos(args.data)
    labels = ph.labels
    y = np.array([CLASSES.index(v) for v in labels])
    xte, yte, _ = data.load_publictest(args.data, 48)
    xne = data.load_publictest_neutral(args.data, 48)
    fer_labels = np.array(["happy" if v == 1 else "sad" for v in yte] + ["neutral"] * len(xne))
    f_fer, z_fer = graph.run(np.concatenate([xte, xne]))
    f_ph, z_ph = graph.run(ph.faces())
    shipped = in_band(metrics.probabilities(z_ph), labels)
    rows = []

    def add(group, name, p_photos, p_fer=None, note=""):
        r = {"group": group, "variant": name, "photos": figures(p_photos, labels),
             "vs_shipped_95": paired_interval(in_band(p_photos, labels), shipped, labels, rng), "note": note}
        if p_fer is not None:
            r["fer"] = figures(p_fer, fer_labels)
        rows.append(r)
        print(f"{group:12} {name:38} photos band mean {r['photos']['band_mean']:.3f} {r['vs_shipped_95']} "
              f"{r['photos']['band_accuracy']}" + (f"; FER {r['fer']['band_mean']:.3f}" if p_fer is not None else ""),
              flush=True)

    add("shipped", "as shipped (calibrated on these photos)", metrics.probabilities(z_ph), metrics.probabilities(z_fer), "in sample")

    # 1. calibration families, cross-validated over the photos (FER: the map fitted on all photos)
    def shipped_family(z, lab):
        th = fit_theta(z, target_of(lab))
        return lambda x: x / np.array(th[:3]) + np.array([th[3], th[4], 0.0])
    add("calibration", "shipped family, refitted (CV)", metrics.probabilities(cross_validated(z_ph, labels, shipped_family)),
        metrics.probabilities(shipped_family(z_ph, labels)(z_fer)))
    for kind, name in (("T", "one temperature, 3-class CE"), ("T3", "temperature per class, 3-class CE"),
                       ("M", "3x3 matrix, 3-class CE")):
        def fit(z, lab, kind=kind):
            return fit_map(z, np.array([CLASSES.index(v) for v in lab]), kind)
        add("calibration", name + " (CV)", metrics.probabilities(cross_validated(z_ph, labels, fit)), metrics.probabilities(fit(z_ph, labels)(z_fer)))
    add("calibration", "band mean itself, grid (CV)", metrics.probabilities(cross_validated(z_ph, labels, fit_band_grid)),
        metrics.probabilities(fit_band_grid(z_ph, labels)(z_fer)))

    # 2. the input, through the shipped graph
    def through(**kw):
        return metrics.probabilities(graph.run(ph.faces(**kw))[1])
    for scale in (0.95, 1.0, 1.15, 1.25):
        add("input", f"crop scale {scale} (shipped {ph.s['crop_scale']})", through(scale=scale))
    for shift in (-0.05, 0.05):
        add("input", f"crop shifted {shift:+.2f} of the side", through(shift=shift))
    add("input", "histogram equalised crop", metrics.probabilities(graph.run(np.stack([cv2.equalizeHist(f) for f in ph.faces()]))[1]))
    clahe = cv2.createCLAHE(2.0, (4, 4))
    add("input", "CLAHE (clip 2, 4x4)", metrics.probabilities(graph.run(np.stack([clahe.apply(f) for f in ph.faces()]))[1]))
    angles = [ph.eye_angle(i, b) for i, b in zip(ph.images, ph.boxes)]
    aligned = np.stack([ph.crop(i, b, angle=a) for i, b, a in zip(ph.images, ph.boxes, angles)])
    add("input", "eye-aligned", metrics.probabilities(graph.run(aligned)[1]),
        note=f"two eyes found in {sum(a != 0 for a in angles)} of {len(angles)}, mean |angle| {np.mean(np.abs(angles)):.1f} deg")
    z_tta = []
    for scale in (0.95, 1.05, 1.15):
        crops = ph.faces(scale=scale)
        z_tta += [graph.run(crops)[1], graph.run(crops[:, :, ::-1].copy())[1]]
    add("input", "mean of 3 crop scales x mirror (6 passes)", metrics.probabilities(np.mean(z_tta, axis=0)), note="6 forward passes per face")

    # 3. heads on the frozen backbone, trained on FER2013 training faces only
    imgs, t3, _, names = data.load_training3(args.data)
    f_tr, _ = graph.run(imgs)
    hard = np.zeros_like(t3)
    known = np.array([n in CLASSES for n in names])
    for i, n in enumerate(names):
        if n in CLASSES:
            hard[i, CLASSES.index(n)] = 1.0
    for alpha in (1.0, 0.5, 0.0):
        t = t3.copy()
        t[known] = alpha * t3[known] + (1 - alpha) * hard[known]
        share = t.mean(axis=0)
        for kind in ("softmax", "ordinal"):
            for balanced in ((False, True) if alpha == 1.0 else (True,)):
                weights = (1.0 / 3) / share if balanced else np.ones(3)
                h = head(f_tr, t, kind, weights)
                add("head", f"{kind}{', balanced' if balanced else ''}, FER+ share {alpha}", h(f_ph), h(f_fer),
                    "out of sample (no photo used)")

    out = {"onnx": os.path.abspath(args.onnx), "photos": len(labels), "per_class": {c: int((labels == c).sum()) for c in CLASSES},
           "bootstrap": BOOTSTRAP, "folds": FOLDS, "cv_seed": CV_SEED, "fer_training_faces": len(imgs),
           "minutes": round((time.time() - t0) / 60, 1), "variants": rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    print(f"{len(rows)} variants in {out['minutes']} min", flush=True)


if __name__ == "__main__":
    main()
