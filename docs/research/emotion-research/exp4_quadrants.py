"""Q4: 4-mood accuracy from the two outputs' out-of-fold scores (artist-grouped CV, seeds 1,2,3).
Rules: R1 Russell quadrants at 0.5 (Happy h+e+, Energetic h-e+, Calm h+e-, Sad h-e-);
R2 the data's quadrants at 0.5 (e+ : Happy if h+ else Energetic; e- : Sad if h+ else Calm);
R3 R2 with thresholds (t_e, t_h|e+, t_h|e-) chosen on the other folds' OOF scores (cross-fitted grid);
R4 multinomial logistic regression on (logit h, logit e), cross-fitted the same way.
Usage: python exp4_quadrants.py HAPPY_OOF.npy ENERGETIC_OOF.npy [output index of energetic file]"""
import sys, itertools, numpy as np, pandas as pd
from common import *
from sklearn.linear_model import LogisticRegression
m = load_moods(); Yl = m.mood.values
H = np.load(sys.argv[1]); E = np.load(sys.argv[2])
if H.ndim == 3: H = H[0]
if E.ndim == 3: E = E[-1]
fold_of = np.array([[k for k in range(NFOLD) for _ in []] for _ in SEEDS])  # placeholder
def fold_ids(seed):
    f = np.zeros(len(m), int)
    for k, (tr, te) in enumerate(folds(m, seed)): f[te] = k
    return f
def r2(h, e, te=.5, th1=.5, th2=.5):
    return np.where(e >= te, np.where(h >= th1, "Happy", "Energetic"), np.where(h >= th2, "Sad", "Calm"))
def r1(h, e):
    return np.where(e >= .5, np.where(h >= .5, "Happy", "Energetic"), np.where(h >= .5, "Calm", "Sad"))
grid = np.linspace(.05, .95, 19)
res = {k: [] for k in ["R1 Russell 0.5", "R2 data quadrants 0.5", "R3 R2 + CV thresholds", "R4 multinomial LR on logits"]}
chosen = []
for si, seed in enumerate(SEEDS):
    f = fold_ids(seed); h, e = H[si], E[si]
    for k in range(NFOLD):
        te = f == k; tr = ~te
        res["R1 Russell 0.5"].append(np.mean(r1(h[te], e[te]) == Yl[te]))
        res["R2 data quadrants 0.5"].append(np.mean(r2(h[te], e[te]) == Yl[te]))
        best = max(((np.mean(r2(h[tr], e[tr], a, b, c) == Yl[tr]), a, b, c) for a in grid for b in grid for c in grid))
        chosen.append(best[1:]); res["R3 R2 + CV thresholds"].append(np.mean(r2(h[te], e[te], *best[1:]) == Yl[te]))
        Z = np.c_[logit(h), logit(e)]
        lr = LogisticRegression(C=1.0, max_iter=2000).fit(Z[tr], Yl[tr])
        res["R4 multinomial LR on logits"].append(np.mean(lr.predict(Z[te]) == Yl[te]))
for k, v in res.items(): print(f"{k:32s} 4-mood accuracy {summarize(v)}")
c = np.array(chosen); print("R3 thresholds chosen (t_e, t_h|e+, t_h|e-): median", np.median(c, 0), "range", c.min(0), c.max(0))
# confusion for R2 at 0.5, seed 1
pred = r2(H[0], E[0]); print(pd.crosstab(pd.Series(Yl, name="true"), pd.Series(pred, name="pred")))
print("mean OOF scores per mood (seed 1):"); print(pd.DataFrame({"mood": Yl, "P(happy)": H[0], "P(energetic)": E[0]}).groupby("mood").mean().round(3))
