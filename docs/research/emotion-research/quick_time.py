import time, numpy as np
from common import *
m = load_moods(); t, u = load_catalog()
g = genre_rows(u, ["happy"], ["sad"]); print(len(g), g.y.sum())
hs = m[m.mood.isin(["Happy","Sad"])]; y = (hs.mood=="Happy").astype(int).values
for feats in [F10]:
    t0=time.time(); (p,),clf,_ = fit_predict(g[feats].values, g.y.values, None, [hs[feats].values], 64, 1e-4)
    print("genre-only fit", time.time()-t0, clf.n_iter_, "AUC on all moods H/S", roc_auc_score(y,p), "acc", np.mean((p>=.5)==y), "sat", saturation(p))
    t0=time.time(); (p2,),clf,_ = fit_predict(hs[feats].values, y, None, [hs[feats].values], 16, 1e-2)
    print("moods fit", time.time()-t0, clf.n_iter_)
for f in F10: print(f, round(roc_auc_score(y, hs[f]),3))
