"""Q2: hidden size / L2 / training length for P(happy) (Happy vs Sad, moods rows only, F10), artist-grouped 5-fold x seeds 1,2,3."""
import sys, time, numpy as np
from common import *
from runner import report
from exp5_label_maps import run, MAPS, m
fo = np.zeros((len(SEEDS), len(m)), int)
for si, s in enumerate(SEEDS):
    for k, (tr, te) in enumerate(folds(m, s)): fo[si, te] = k
for h, l2, st in [(8, 1e-2, 1500), (32, 1e-2, 1500), (64, 1e-2, 1500), (16, 1e-3, 1500), (16, 1e-1, 1500), (16, 1e-2, 500), (16, 1e-2, 4000)]:
    t0 = time.time(); r = report(m, run(MAPS["h_HvS"], F10, h, l2, st), fo)
    print(f"hidden {h:3d} l2 {l2:g} steps {st:5d}: AUC {r['AUC']} (pooled {r['AUC_pooled']}) acc_cal {r['acc_cal']} ECE_cal_pooled {r['ECE_cal_pooled']} ({time.time()-t0:.0f}s)", flush=True)
