"""FER2013 faces + FER+ votes, read in place from the shared data folder.

Preprocessing (the same in training, evaluation and the C++ side): the 48x48 8-bit grey FER2013
face is resized to S x S with cv2.resize(..., interpolation=cv2.INTER_LINEAR) (an upscale, so
INTER_LINEAR), kept as 8-bit, then fed as float32 0..255, shape [N,1,S,S].
"""
import csv
import os

import cv2
import numpy as np

# FER+ vote columns, in the order of ferplus_votes in manifest.csv and of fer2013new.csv
FERPLUS = ["neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt", "unknown", "NF"]
H, S_, N_ = FERPLUS.index("happiness"), FERPLUS.index("sadness"), FERPLUS.index("neutral")


def data_root():
    return os.environ.get("MOOSIC_DEV_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def read_manifest(root):
    with open(os.path.join(root, "fer2013", "manifest.csv"), newline="") as f:
        return list(csv.DictReader(f))


def votes(row):
    v = row["ferplus_votes"].strip()
    return np.array([int(t) for t in v.split()], dtype=np.float64) if v else None


def train_target(row, use_neutral):
    """Soft target P(happy) for a training image, or None to leave it out.

    * FER2013 happy / sad image: happiness / (happiness + sadness) FER+ votes, or the FER2013
      label (1 / 0) when FER+ has no happiness or sadness vote (or no votes at all).
    * any other FER2013 class whose FER+ votes are at least half happiness + sadness (FER+
      relabelled it happy or sad): happiness / (happiness + sadness).
    * with use_neutral, FER2013 neutral images: happiness / (happiness + sadness + neutral).
    """
    name = row["label_name"]
    v = votes(row)
    if name in ("happy", "sad"):
        if v is not None and v[H] + v[S_] > 0:
            return v[H] / (v[H] + v[S_])
        return 1.0 if name == "happy" else 0.0
    if v is None:
        return None
    if name == "neutral" and use_neutral:
        d = v[H] + v[S_] + v[N_]
        return v[H] / d if d > 0 else None
    tot = v[:8].sum()  # emotion votes (not unknown / not-a-face)
    if tot > 0 and v[H] + v[S_] >= 0.5 * tot:
        return v[H] / (v[H] + v[S_])
    return None


def load_image(root, rel, size):
    img = cv2.imread(os.path.join(root, "fer2013", rel), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise IOError(rel)
    if img.shape != (48, 48):
        raise ValueError(f"{rel}: {img.shape}")
    if size != 48:
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR if size > 48 else cv2.INTER_AREA)
    return img


def load_training(root, size, use_neutral):
    rows = [r for r in read_manifest(root) if r["split"] == "training"]
    rows.sort(key=lambda r: r["path"])
    imgs, targets, names = [], [], []
    for r in rows:
        t = train_target(r, use_neutral)
        if t is None:
            continue
        imgs.append(load_image(root, r["path"], size))
        targets.append(t)
        names.append(r["label_name"])
    return np.stack(imgs), np.array(targets, dtype=np.float32), names


def load_publictest(root, size):
    """publictest happy + sad with the original FER2013 labels (1 = happy, 0 = sad)."""
    rows = [r for r in read_manifest(root) if r["split"] == "publictest" and r["label_name"] in ("happy", "sad")]
    rows.sort(key=lambda r: r["path"])
    imgs = np.stack([load_image(root, r["path"], size) for r in rows])
    labels = np.array([1 if r["label_name"] == "happy" else 0 for r in rows], dtype=np.int64)
    return imgs, labels, [r["path"] for r in rows]


# --- three-way (happy / neutral / sad) targets -----------------------------------------------------
# Order of the network's three main outputs, and of the FER+ vote columns they come from.
CLASSES3 = ["happy", "neutral", "sad"]
COLS3 = [H, N_, S_]
# The FER+ emotion columns (the auxiliary 8-way target; "unknown" and "NF" are not emotions).
EMOTIONS8 = FERPLUS[:8]


def targets3(row):
    """(t3, t8) for a training image, or None to leave it out.

    t3: FER+ happiness / neutral / sadness votes renormalised to sum 1 (the main target);
    t8: all 8 FER+ emotion votes renormalised (auxiliary target), or None when FER+ has no votes.
    Kept: every image whose FER+ votes are at least half happiness + neutral + sadness (of the 8
    emotion votes), whatever its FER2013 label; FER2013 happy / sad images without any such vote keep
    their FER2013 label as a hard target (t8 = None).
    """
    name = row["label_name"]
    v = votes(row)
    if v is not None:
        tot = v[:8].sum()
        hns = v[COLS3].sum()
        if tot > 0 and hns > 0 and hns >= 0.5 * tot:
            return v[COLS3] / hns, v[:8] / tot
    if name in ("happy", "sad") and (v is None or v[COLS3].sum() == 0):
        return (np.array([1.0, 0.0, 0.0]) if name == "happy" else np.array([0.0, 0.0, 1.0])), None
    return None


def load_training3(root):
    """48x48 training faces (uint8), t3 [n,3], t8 [n,8] (rows of -1 where FER+ has no votes), FER2013 names."""
    rows = [r for r in read_manifest(root) if r["split"] == "training"]
    rows.sort(key=lambda r: r["path"])
    imgs, t3s, t8s, names = [], [], [], []
    for r in rows:
        t = targets3(r)
        if t is None:
            continue
        imgs.append(load_image(root, r["path"], 48))
        t3s.append(t[0])
        t8s.append(t[1] if t[1] is not None else -np.ones(8))
        names.append(r["label_name"])
    return (np.stack(imgs), np.array(t3s, dtype=np.float32), np.array(t8s, dtype=np.float32), names)


def load_publictest_neutral(root, size):
    """publictest faces FER2013 labels neutral (for the neutral-score figures, never for selection)."""
    rows = [r for r in read_manifest(root) if r["split"] == "publictest" and r["label_name"] == "neutral"]
    rows.sort(key=lambda r: r["path"])
    return np.stack([load_image(root, r["path"], size) for r in rows])
