"""Q1: which training evidence makes P(happy) mean what listeners mean (Happy vs Sad).
Artist-grouped 5-fold CV on moods_dev x seeds 1,2,3; catalog rows purged of test-fold artists; numpy MLP
(npmlp.py, the Swift trainer's algorithm). Also per fold: Moo-Sic genre-task accuracy on a 20 % holdout
(by artist) of the happy/sad genre tracks, and on the whole catalog (80,811 unique tracks): saturation
(share < .05 or > .95) and monotonicity violations (share of tracks whose raw score drops by > .01 when
valence, resp. energy, is raised by 0.1).
Usage: python exp1_happy_sad.py [variant-substring ...]"""
import sys, json, time, zlib
import numpy as np, pandas as pd
from common import *
from runner import report, moods_xy, moosic_holdout

m = load_moods(); t, u = load_catalog()
G = genre_rows(u, ["happy"], ["sad"])
FEATS = F10
_ho = {}
def holdout(seed):
    if seed not in _ho: _ho[seed] = moosic_holdout(G, seed)
    return _ho[seed]

# a priori lists of catalog genres whose listener mood is unambiguous (Happy side / Sad side)
D_HAPPY = ["party", "dance", "disco", "salsa", "samba", "ska", "power-pop", "kids"]
D_SAD = ["sad", "emo", "acoustic", "piano", "singer-songwriter", "romance"]
def extra_rows(pos, neg, per_genre, seed, exclude_ids):
    rng = np.random.default_rng(seed); out = []
    for lab, gl in ((1, pos), (0, neg)):
        for g in gl:
            d = u[u.genres.map(lambda s: g in s) & ~u.track_id.isin(exclude_ids)]
            d = d.iloc[rng.permutation(len(d))[:per_genre]].copy(); d["y"] = lab; out.append(d)
    return pd.concat(out).drop_duplicates("track_id")

def augment_monotone(X, y, feats, k, seed, delta=0.25):
    """Monotone prior as data: k copies of each row; Happy rows get valence and energy raised, Sad rows lowered,
    by U(0, delta) of the feature's [0,1] range; labels unchanged."""
    rng = np.random.default_rng(seed); iv, ie = feats.index("valence"), feats.index("energy")
    Xs = [X]; ys = [y]
    for _ in range(k):
        Z = X.copy(); sgn = np.where(y == 1, 1, -1)
        Z[:, iv] = np.clip(Z[:, iv] + sgn * rng.uniform(0, delta, len(Z)), 0, 1)
        Z[:, ie] = np.clip(Z[:, ie] + sgn * rng.uniform(0, delta, len(Z)), 0, 1)
        Xs.append(Z); ys.append(y)
    return np.vstack(Xs), np.concatenate(ys)

def build(spec, mtr, ta, seed, feats):
    Xs, ys, ws = [], [], []
    if spec.get("genre"):
        g = purge(holdout(seed)[1], ta); Xs.append(g[feats].values); ys.append(g.y.values); ws.append(np.full(len(g), spec.get("wg", 1.0)))
    if spec.get("moods"):
        X, y = moods_xy(mtr, feats)
        if spec.get("mono"):
            X, y = augment_monotone(X, y, feats, spec["mono"], seed)
            ws.append(np.full(len(y), spec["moods"] / (1 + spec["mono"])))
        else:
            ws.append(np.full(len(y), spec["moods"]))
        Xs.append(X); ys.append(y)
    if spec.get("extra"):
        pos, neg = spec["extra"]
        e = purge(extra_rows(pos, neg, spec.get("per_genre", 150), seed, set(holdout(seed)[0].track_id)), ta)
        Xs.append(e[feats].values); ys.append(e.y.values); ws.append(np.full(len(e), spec.get("we", 0.1)))
    return np.vstack(Xs), np.concatenate(ys), np.concatenate(ws)

V = {
 "a_genre_only(64,l2 1e-4)": dict(genre=1, hidden=64, l2=1e-4, steps=3000),
 "a_genre_only(16,l2 1e-2)": dict(genre=1, steps=3000),
 "b_moods_only": dict(moods=1, steps=1500),
}
for wm in [1, 3, 10, 30]:
    V[f"c_genre+moods_w{wm}"] = dict(genre=1, moods=wm, steps=3000)
for we in [0.03, 0.1, 0.3]:
    V[f"d_moods+extraGenres_we{we}"] = dict(moods=1, extra=(D_HAPPY, D_SAD), we=we, steps=3000)
V["d_genre+moods_w10+extra_we0.3"] = dict(genre=1, moods=10, extra=(D_HAPPY, D_SAD), we=0.3, steps=4000)
for k in [2, 5]:
    V[f"e_moods+monotoneAug_k{k}"] = dict(moods=1, mono=k, steps=2000)
V["e_moods_w1+extra_we0.1+monoAug_k2"] = dict(moods=1, mono=2, extra=(D_HAPPY, D_SAD), we=0.1, steps=3000)

def catalog_stats(net_predict, feats):
    X = u[feats].values; p = net_predict(X)
    res = {"sat": saturation(p)}
    for nm, f in (("viol_val", "valence"), ("viol_en", "energy")):
        if f not in feats: continue
        i = feats.index(f)
        Z = X.copy(); Z[:, i] = np.minimum(Z[:, i] + 0.1, 1.0); res[nm] = float(np.mean(net_predict(Z) < p - 0.01))
    return res

def run_variant(spec, feats=FEATS, seeds=SEEDS, task_m=m):
    oof = np.zeros((len(seeds), len(m))); fo = np.zeros((len(seeds), len(m)), int); extra = []
    for si, seed in enumerate(seeds):
        ho = holdout(seed)[0]
        for k, (tr, te) in enumerate(folds(m, seed)):
            mtr, mte = m.iloc[tr], m.iloc[te]
            X, y, w = build(spec, mtr, frozenset(mte.artist), seed, feats)
            (p, ph), net, sc = fitnp(X, y, w, [mte[feats].values, ho[feats].values], spec.get("hidden", 16), spec.get("l2", 1e-2),
                                     spec.get("steps", 1500), seed * 10 + k)
            oof[si, te] = p[:, 0]; fo[si, te] = k
            st = catalog_stats(lambda Z: net.predict(sc.transform(Z))[:, 0], feats); st["moosic_acc"] = np.mean((ph[:, 0] >= .5) == ho.y.values)
            extra.append(st)
    return oof, fo, pd.DataFrame(extra)

if __name__ == "__main__":
    names = [n for n in V if any(a in n for a in sys.argv[1:])] if len(sys.argv) > 1 else list(V)
    for n in names:
        t0 = time.time(); oof, fo, ex = run_variant(V[n]); r = report(m, oof, fo)
        np.save(f"oof/happy__{n}.npy", oof)
        r.update({c: summarize(ex[c]) for c in ex.columns}); r["secs"] = round(time.time() - t0)
        print(n, json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, ensure_ascii=False), flush=True)
