"""Q2: features and regularisation for P(happy) (Happy vs Sad, moods rows only, numpy MLP), artist-grouped
5-fold CV x seeds 1,2,3. Usage: python exp2_features_reg.py feats|grid|steps [task]"""
import sys, json, time
import numpy as np
from common import *
import exp1_happy_sad as e1
import exp3_energetic as e3
from runner import report
what = sys.argv[1]; task = sys.argv[2] if len(sys.argv) > 2 else "happy"
def go(name, spec, feats=F10):
    t0 = time.time()
    if task == "happy":
        oof, fo, ex = e1.run_variant(spec, feats); r = report(e1.m, oof, fo)
    else:
        spec = dict(spec, kind="e"); oof, fo, ex = e3.run_variant(spec, feats); r = report(e1.m, oof[0], fo, "energetic")
    print(f"{task} {name:40s} AUC {r['AUC']} (pooled {r['AUC_pooled']})  acc_cal {r['acc_cal']}  ECE_cal_pooled {r['ECE_cal_pooled']}  ({time.time()-t0:.0f}s)", flush=True)
base = dict(moods=1, steps=1500)
if what == "feats":
    go("F10 (9 Moo-Sic + duration)", base, F10)
    go("F9 (Moo-Sic)", base, F9)
    go("F10 + key + time_signature", base, ALL)
    for f in F10:
        go(f"F10 - {f}", base, [x for x in F10 if x != f])
    go("energy, valence, loudness, acousticness, danceability", base, ["energy", "valence", "loudness", "acousticness", "danceability"])
    go("energy, valence", base, ["energy", "valence"])
elif what == "grid":
    for h in [8, 16, 32, 64]:
        for l2 in [1e-3, 1e-2, 3e-2, 1e-1]:
            go(f"hidden {h}, l2 {l2}", dict(base, hidden=h, l2=l2))
elif what == "steps":
    for s in [500, 1000, 1500, 3000, 6000]:
        go(f"steps {s} (~{s//5} epochs of 140 rows)", dict(base, steps=s))
