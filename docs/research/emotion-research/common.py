"""Shared loading, CV, metrics and models for the issue-13 research (song emotion that agrees with listeners).

All evaluation is artist-grouped cross-validation on moods_dev.csv: GroupKFold(5, shuffle) by artist,
repeated over SEEDS. Catalog rows (tracks.csv) used as training evidence are always purged of every
track whose artists include an artist of the test fold, so no test artist is ever seen in training.
"""
import os, warnings, time
import numpy as np, pandas as pd
from sklearn.model_selection import GroupKFold
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.exceptions import ConvergenceWarning

warnings.filterwarnings("ignore", category=ConvergenceWarning)
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys
# Archived with the docs, outside Scripts/: the development data must be named (docs/data-sources.md).
_SHARED = os.environ.get("MOOSIC_DEV_DATA") or sys.exit("set MOOSIC_DEV_DATA to the development data folder (docs/data-sources.md)")
MOODS = os.path.join(_SHARED, "moods/moods_dev.csv")
TRACKS = os.path.join(_SHARED, "spotify/tracks.csv")
SEEDS = (1, 2, 3)
NFOLD = 5

F9 = ["danceability", "energy", "loudness", "speechiness", "acousticness", "instrumentalness",
      "liveness", "valence", "tempo"]
F10 = F9 + ["duration_ms"]
ALL = F10 + ["key", "time_signature"]


def load_moods():
    m = pd.read_csv(MOODS).rename(columns={"length": "duration_ms"})
    m["artists_set"] = m.artist.map(lambda a: frozenset([a]))
    return m.reset_index(drop=True)


_cat = None
def load_catalog():
    """Unique tracks (80,811), with the set of genres each is listed under and its artist set."""
    global _cat
    if _cat is None:
        t = pd.read_csv(TRACKS)
        t = t.dropna(subset=["artists", "track_name"])
        genres = t.groupby("track_id").track_genre.agg(lambda g: frozenset(g))
        u = t.drop_duplicates("track_id").set_index("track_id")
        u["genres"] = genres
        u["artists_set"] = u.artists.map(lambda s: frozenset(s.split(";")))
        _cat = (t, u.reset_index())
    return _cat


def genre_rows(u, pos, neg):
    """Catalog tracks listed under a genre of `pos` (label 1) or `neg` (label 0), not both."""
    pos, neg = set(pos), set(neg)
    ip = u.genres.map(lambda g: bool(g & pos)); ineg = u.genres.map(lambda g: bool(g & neg))
    keep = ip ^ ineg
    d = u[keep].copy(); d["y"] = ip[keep].astype(int)
    return d


def purge(d, test_artists):
    """Drop catalog rows sharing any artist with the test fold."""
    if d is None or len(d) == 0:
        return d
    return d[~d.artists_set.map(lambda s: bool(s & test_artists))]


def folds(m, seed, nfold=NFOLD):
    gkf = GroupKFold(n_splits=nfold, shuffle=True, random_state=seed)
    return list(gkf.split(m, groups=m.artist))


class MinMax:
    def fit(self, X):
        self.lo = X.min(0); self.hi = X.max(0); self.hi = np.where(self.hi > self.lo, self.hi, self.lo + 1); return self
    def transform(self, X):
        return np.clip((X - self.lo) / (self.hi - self.lo), 0, 1)


def mlp(hidden=16, alpha=1e-2, seed=0, max_iter=400, early=True):
    return MLPClassifier(hidden_layer_sizes=(hidden,) if isinstance(hidden, int) else hidden, alpha=alpha,
                         solver="adam", learning_rate_init=1e-3, batch_size=32, max_iter=max_iter,
                         early_stopping=early, validation_fraction=0.1, n_iter_no_change=20, tol=1e-4,
                         random_state=seed)


def fit_predict(Xtr, ytr, wtr, Xte_list, hidden=16, alpha=1e-2, seed=0, scaler_X=None, early=True, max_iter=400):
    sc = MinMax().fit(Xtr if scaler_X is None else scaler_X)
    clf = mlp(hidden, alpha, seed, max_iter=max_iter, early=early)
    clf.fit(sc.transform(Xtr), ytr, sample_weight=wtr)
    return [clf.predict_proba(sc.transform(X))[:, 1] for X in Xte_list], clf, sc


# ---------- metrics ----------
def ece(y, p, bins=10):
    y = np.asarray(y, float); p = np.asarray(p, float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    e = 0.0
    for b in range(bins):
        s = idx == b
        if s.any():
            e += s.mean() * abs(y[s].mean() - p[s].mean())
    return e


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6); return np.log(p / (1 - p))


def platt_fit(p, y, w=None):
    """Platt scaling: logistic regression of y on logit(p), (a, b), fitted by lbfgs (weak L2, C=1e4)."""
    from sklearn.linear_model import LogisticRegression
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(logit(p)[:, None], np.asarray(y, int), sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def platt_apply(p, ab):
    return 1 / (1 + np.exp(-np.clip(ab[0] * logit(p) + ab[1], -50, 50)))


def cross_platt(y, p, fold_id):
    """Calibrate out-of-fold scores: each fold's scores are mapped with Platt params fit on the other folds' OOF scores."""
    out = np.empty_like(p)
    for k in np.unique(fold_id):
        s = fold_id == k
        out[s] = platt_apply(p[s], platt_fit(p[~s], y[~s]))
    return out


def summarize(vals):
    v = np.asarray(vals, float); return f"{v.mean():.3f} ± {v.std(ddof=1) if len(v) > 1 else 0:.3f}"


def binary_report(y, p, fold_id, seed_id):
    """Per fold AUC / acc@0.5 raw / acc@0.5 and ECE after cross-fitted Platt; mean ± sd over (seed, fold)."""
    rows = []
    for s in np.unique(seed_id):
        ss = seed_id == s
        pc = cross_platt(y[ss], p[ss], fold_id[ss])
        for k in np.unique(fold_id[ss]):
            f = fold_id[ss] == k
            yy, pp, cc = y[ss][f], p[ss][f], pc[f]
            rows.append(dict(auc=roc_auc_score(yy, pp), acc_raw=np.mean((pp >= .5) == yy), ece_raw=ece(yy, pp),
                             acc_cal=np.mean((cc >= .5) == yy), ece_cal=ece(yy, cc)))
        # pooled per seed
    r = pd.DataFrame(rows)
    pooled = []
    for s in np.unique(seed_id):
        ss = seed_id == s
        pc = cross_platt(y[ss], p[ss], fold_id[ss])
        pooled.append(dict(auc=roc_auc_score(y[ss], p[ss]), acc_cal=np.mean((pc >= .5) == y[ss]), ece_cal=ece(y[ss], pc),
                           ece_raw=ece(y[ss], p[ss])))
    pl = pd.DataFrame(pooled)
    return {"AUC": summarize(r.auc), "acc_raw": summarize(r.acc_raw), "acc_cal": summarize(r.acc_cal),
            "ECE_raw": summarize(r.ece_raw), "ECE_cal": summarize(r.ece_cal),
            "AUC_pooled": summarize(pl.auc), "acc_cal_pooled": summarize(pl.acc_cal), "ECE_cal_pooled": summarize(pl.ece_cal),
            "_auc_mean": r.auc.mean(), "_acc_mean": r.acc_cal.mean()}


def hist10(p):
    h, _ = np.histogram(p, bins=10, range=(0, 1)); return h


def saturation(p):
    return float(np.mean((p < .05) | (p > .95)))


# ---------- numpy-MLP training used by the experiments ----------
def fitnp(Xtr, Ytr, Wtr, Xte_list, hidden=16, l2=1e-2, steps=1500, seed=0, batch=32, scaler=None):
    """Min-max (fit on training rows, clamped), NPMLP trained for ~`steps` Adam steps (epochs = steps / batches per epoch)."""
    from npmlp import NPMLP
    sc = scaler or MinMax().fit(Xtr)
    Ytr = np.asarray(Ytr, float).reshape(len(Xtr), -1)
    Wtr = np.ones_like(Ytr) if Wtr is None else np.asarray(Wtr, float).reshape(len(Xtr), -1)
    epochs = max(1, int(round(steps / np.ceil(len(Xtr) / batch))))
    net = NPMLP(hidden=hidden, l2=l2, epochs=epochs, seed=seed, batch=batch).fit(sc.transform(Xtr), Ytr, Wtr)
    return [net.predict(sc.transform(X)) for X in Xte_list], net, sc
