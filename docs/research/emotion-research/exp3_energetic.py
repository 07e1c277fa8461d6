"""Q3: P(energetic), Energetic=1 vs Calm=0, artist-grouped 5-fold CV x seeds 1,2,3 (numpy MLP).
Variants: moods only; + catalog genres of unambiguous arousal; sibling network vs one network with two
sigmoid outputs trained on both label sets with masking (happy output: genre happy/sad rows w 1 + Happy/Sad
rows w WM; energetic output: Energetic/Calm rows). Reports both outputs for the shared net.
Usage: python exp3_energetic.py [variant-substring ...]"""
import sys, json, time
import numpy as np, pandas as pd
from common import *
from runner import report, moods_xy, moosic_holdout
import exp1_happy_sad as e1
from exp1_happy_sad import m, u, holdout, extra_rows, catalog_stats

FEATS = F10
E_HIGH = ["hardstyle", "drum-and-bass", "metalcore", "punk-rock", "edm", "hard-rock"]
E_LOW = ["sleep", "ambient", "new-age", "classical", "piano", "study"]

def build_e(spec, mtr, ta, seed, feats):
    X, y = moods_xy(mtr, feats, "energetic"); Xs, ys, ws = [X], [y], [np.full(len(y), 1.0)]
    if spec.get("extra"):
        e = purge(extra_rows(E_HIGH, E_LOW, spec.get("per_genre", 150), seed, set()), ta)
        Xs.append(e[feats].values); ys.append(e.y.values); ws.append(np.full(len(e), spec["we"]))
    return np.vstack(Xs), np.concatenate(ys), np.concatenate(ws)

def build_shared(spec, mtr, ta, seed, feats):
    """Two outputs [happy, energetic]; W=0 masks a missing label."""
    Xh, yh, wh = e1.build(spec["happy"], mtr, ta, seed, feats)
    Xe, ye, we = build_e(spec["energetic"], mtr, ta, seed, feats)
    X = np.vstack([Xh, Xe]); Y = np.zeros((len(X), 2)); W = np.zeros((len(X), 2))
    Y[:len(Xh), 0] = yh; W[:len(Xh), 0] = wh; Y[len(Xh):, 1] = ye; W[len(Xh):, 1] = we
    # balance the two outputs' total weight so neither task dominates the shared hidden layer
    W[:, 1] *= W[:, 0].sum() / W[:, 1].sum() * spec.get("e_share", 1.0)
    return X, Y, W

HAPPY_BEST = dict(genre=1, moods=10)  # replaced after exp1 by the chosen recipe
V = {
 "sib_moods_only": dict(kind="e", steps=1500),
 "sib_moods_only(8,l2 3e-2)": dict(kind="e", steps=1500, hidden=8, l2=3e-2),
 "sib_moods+extra_we0.1": dict(kind="e", extra=1, we=0.1, steps=3000),
 "sib_moods+extra_we0.3": dict(kind="e", extra=1, we=0.3, steps=3000),
 "shared_moods_only(16)": dict(kind="shared", happy=dict(moods=1), energetic=dict(), steps=2500),
}

def run_variant(spec, feats=FEATS, seeds=SEEDS):
    K = 2 if spec["kind"] == "shared" else 1
    oof = np.zeros((K, len(seeds), len(m))); fo = np.zeros((len(seeds), len(m)), int); ex = []
    for si, seed in enumerate(seeds):
        ho = holdout(seed)[0]
        for k, (tr, te) in enumerate(folds(m, seed)):
            mtr, mte = m.iloc[tr], m.iloc[te]; ta = frozenset(mte.artist)
            X, Y, W = (build_shared if K == 2 else build_e)(spec, mtr, ta, seed, feats)
            (p, ph), net, sc = fitnp(X, Y, W, [mte[feats].values, ho[feats].values], spec.get("hidden", 16), spec.get("l2", 1e-2),
                                     spec.get("steps", 1500), seed * 10 + k)
            for j in range(K): oof[j, si, te] = p[:, j]
            fo[si, te] = k
            st = {"sat_e": saturation(net.predict(sc.transform(u[feats].values))[:, K - 1])}
            if K == 2:
                st.update(catalog_stats(lambda Z: net.predict(sc.transform(Z))[:, 0], feats)); st["moosic_acc"] = np.mean((ph[:, 0] >= .5) == ho.y.values)
            ex.append(st)
    return oof, fo, pd.DataFrame(ex)

if __name__ == "__main__":
    names = [n for n in V if any(a in n for a in sys.argv[1:])] if len(sys.argv) > 1 else list(V)
    for n in names:
        t0 = time.time(); oof, fo, ex = run_variant(V[n])
        out = {"energetic": {k: v for k, v in report(m, oof[-1], fo, "energetic").items() if not k.startswith("_")}}
        if len(oof) == 2:
            out["happy"] = {k: v for k, v in report(m, oof[0], fo, "happy").items() if not k.startswith("_")}
        np.save(f"oof/energetic__{n}.npy", oof)
        out.update({c: summarize(ex[c]) for c in ex.columns}); out["secs"] = round(time.time() - t0)
        print(n, json.dumps(out, ensure_ascii=False), flush=True)
