"""Artist-grouped CV runner for one output (happy: Happy=1 vs Sad=0, or energetic: Energetic=1 vs Calm=0).

A variant is a function build(train_moods, test_artists, seed) -> (X, y, w) training set.
Returns OOF predictions on all 365 moods rows for each seed, plus the Moo-Sic genre-task accuracy on
a held-out 20 % (by artist) of the happy/sad genre tracks that no variant trains on.
"""
import numpy as np, pandas as pd, zlib
from common import *

TASKS = {"happy": ("Happy", "Sad"), "energetic": ("Energetic", "Calm")}


def moosic_holdout(g, seed):
    """20 % of the happy/sad genre tracks, chosen by first artist (crc32) per seed."""
    h = g.artists.map(lambda a: (zlib.crc32((a.split(';')[0] + str(seed)).encode()) % 5) == 0)
    return g[h], g[~h]


def run(build, feats, hidden=16, alpha=1e-2, seeds=SEEDS, task="happy", m=None, catalog_eval=None, verbose=False,
        max_iter=400, early=True, n_inits=1):
    m = load_moods() if m is None else m
    pos, neg = TASKS[task]
    oof = np.full((len(seeds), len(m)), np.nan); fold_of = np.zeros((len(seeds), len(m)), int)
    moosic_acc = []
    for si, seed in enumerate(seeds):
        for k, (tr, te) in enumerate(folds(m, seed)):
            mtr = m.iloc[tr]; mte = m.iloc[te]
            test_artists = frozenset(mte.artist)
            X, y, w = build(mtr, test_artists, seed, feats)
            ps = []
            for init in range(n_inits):
                pl, clf, sc = fit_predict(X, y, w, [mte[feats].values] + ([catalog_eval(seed)[feats].values] if catalog_eval else []),
                                          hidden, alpha, seed * 100 + k * 10 + init, max_iter=max_iter, early=early)
                ps.append(pl)
            oof[si, te] = np.mean([p[0] for p in ps], 0); fold_of[si, te] = k
            if catalog_eval:
                ho = catalog_eval(seed); pp = np.mean([p[1] for p in ps], 0)
                moosic_acc.append(np.mean((pp >= .5) == ho.y.values))
    return oof, fold_of, moosic_acc


def report(m, oof, fold_of, task="happy", seeds=SEEDS):
    pos, neg = TASKS[task]
    sel = m.mood.isin([pos, neg]).values
    y = (m.mood.values[sel] == pos).astype(int)
    Y = np.concatenate([y] * len(seeds)); P = np.concatenate([oof[i, sel] for i in range(len(seeds))])
    F = np.concatenate([fold_of[i, sel] for i in range(len(seeds))]); S = np.repeat(np.arange(len(seeds)), sel.sum())
    return binary_report(Y, P, F, S)


# ---------- label sources ----------
def moods_xy(mtr, feats, task="happy"):
    pos, neg = TASKS[task]
    d = mtr[mtr.mood.isin([pos, neg])]
    return d[feats].values, (d.mood.values == pos).astype(int)
