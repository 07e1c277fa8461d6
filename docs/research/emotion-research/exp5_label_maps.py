"""Q3/Q4: which human labels each output is trained on, so that the two outputs place the 4 moods in their
quadrants. Moods rows only, numpy MLP (16 hidden, l2 1e-2, ~1500 steps), artist-grouped 5-fold x seeds 1,2,3.
A label map gives each mood a target in [0,1] or None (masked). Saves OOF scores to oof/map__NAME.npy and
prints Happy-vs-Sad AUC and Energetic-vs-Calm AUC of the output.
Usage: python exp5_label_maps.py NAME..."""
import sys, time, numpy as np
from common import *
from runner import report
m = load_moods()
MAPS = {
 "h_HvS": {"Happy": 1, "Sad": 0},
 "h_HvSE": {"Happy": 1, "Sad": 0, "Energetic": 0},
 "h_Hvall": {"Happy": 1, "Sad": 0, "Energetic": 0, "Calm": 0},
 "h_HCvSE": {"Happy": 1, "Calm": 1, "Sad": 0, "Energetic": 0},
 "e_EvC": {"Energetic": 1, "Calm": 0},
 "e_EHvCS": {"Energetic": 1, "Happy": 1, "Calm": 0, "Sad": 0},
 "e_ordinal": {"Calm": 0, "Sad": 1 / 3, "Happy": 2 / 3, "Energetic": 1},
 "s_SvC": {"Sad": 1, "Calm": 0},
}
def run(mp, feats=F10, hidden=16, l2=1e-2, steps=1500):
    oof = np.zeros((len(SEEDS), len(m)))
    for si, seed in enumerate(SEEDS):
        for k, (tr, te) in enumerate(folds(m, seed)):
            d = m.iloc[tr]; d = d[d.mood.isin(list(mp))]
            y = d.mood.map(mp).values.astype(float)
            (p,), net, sc = fitnp(d[feats].values, y, None, [m.iloc[te][feats].values], hidden, l2, steps, seed * 10 + k)
            oof[si, te] = p[:, 0]
    return oof
if __name__ == "__main__":
    for n in sys.argv[1:]:
        t0 = time.time(); oof = run(MAPS[n]); np.save(f"oof/map__{n}.npy", oof)
        fo = np.zeros_like(oof, dtype=int)
        for si, s in enumerate(SEEDS):
            for k, (tr, te) in enumerate(folds(m, s)): fo[si, te] = k
        rh = report(m, oof, fo, "happy"); re_ = report(m, oof, fo, "energetic")
        print(f"{n:10s} Happy-vs-Sad AUC {rh['AUC']} acc_cal {rh['acc_cal']} | Energetic-vs-Calm AUC {re_['AUC']} acc_cal {re_['acc_cal']} ({time.time()-t0:.0f}s)", flush=True)
