"""Accuracy, ROC AUC, expected calibration error and temperature fitting (numpy only)."""
import numpy as np


def accuracy(p, y, threshold=0.5):
    return float(np.mean((p >= threshold).astype(np.int64) == y))


def roc_auc(score, y):
    """Mann-Whitney AUC with ties counted as 1/2."""
    score = np.asarray(score, dtype=np.float64)
    y = np.asarray(y)
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    ranks = np.empty(len(s), dtype=np.float64)
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = 0.5 * (i + j) + 1.0
        i = j + 1
    r = np.empty_like(ranks)
    r[order] = ranks
    npos = int((y == 1).sum())
    nneg = len(y) - npos
    return float((r[y == 1].sum() - npos * (npos + 1) / 2.0) / (npos * nneg))


def ece(p, y, bins=10):
    """Expected calibration error over P(happy): 10 equal-width bins on [0,1], weighted |mean p - frequency of happy|."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    idx = np.minimum((p * bins).astype(np.int64), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() * abs(p[m].mean() - y[m].mean())
    return float(total / len(p))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def nll(logit, y, temperature):
    z = np.asarray(logit, dtype=np.float64) / temperature
    # log(1+exp(-|z|)) form, stable
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def fit_temperature(logit, y):
    """Temperature T minimising the negative log-likelihood of sigmoid(logit / T) (golden-section on log T)."""
    lo, hi = np.log(0.05), np.log(20.0)
    g = (np.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(logit, y, np.exp(a)), nll(logit, y, np.exp(b))
    for _ in range(100):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(logit, y, np.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(logit, y, np.exp(b))
    return float(np.exp(0.5 * (lo + hi)))


def summary(p, y):
    return {"accuracy": accuracy(p, y), "auc": roc_auc(p, y), "ece": ece(p, y)}


def neutral_summary(score):
    """Where neutral faces land on the score: median and the shares below 0.25 / above 0.75."""
    s = np.asarray(score, dtype=np.float64)
    return {"neutral_n": int(len(s)), "neutral_median": float(np.median(s)),
            "neutral_below_025": float(np.mean(s < 0.25)), "neutral_above_075": float(np.mean(s > 0.75))}


CLASSES = ("sad", "neutral", "happy")
NEUTRAL_FROM, HAPPY_FROM = 0.35, 0.65  # moosic's MoodBand (Sources/MoosicCore/Pipeline/MoodLabel.swift)


def band(score):
    return "happy" if score >= HAPPY_FROM else "neutral" if score >= NEUTRAL_FROM else "sad"


def bands(score, labels):
    """What a listener meets: the share of each class's faces whose score lies in its own band, their mean,
    and the confusion of classes (rows) and bands (columns), both sad, neutral, happy."""
    confusion = [[0] * 3 for _ in CLASSES]
    for s, label in zip(score, labels):
        confusion[CLASSES.index(label)][CLASSES.index(band(s))] += 1
    acc = {c: confusion[i][i] / sum(confusion[i]) for i, c in enumerate(CLASSES) if sum(confusion[i])}
    return {"band_accuracy": acc, "band_accuracy_mean": float(np.mean(list(acc.values()))) if acc else None,
            "confusion_rows_class_columns_band": confusion}


def probabilities(z):
    """Softmax of [n, 3] happy / neutral / sad logits, row by row."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def mood_score(p):
    """The mood score P(happy) + 1/2 P(neutral) of [n, 3] happy / neutral / sad probabilities."""
    return p[:, 0] + 0.5 * p[:, 1]


def happy_against_sad(probabilities):
    """P(happy) / (P(happy) + P(sad)) of [n, 3] happy / neutral / sad probabilities."""
    p = np.asarray(probabilities, dtype=np.float64)
    return p[:, 0] / np.maximum(p[:, 0] + p[:, 2], 1e-12)
