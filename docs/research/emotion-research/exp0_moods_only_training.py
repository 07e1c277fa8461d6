"""Q2 prerequisite: how to train on 140 human-labelled songs. Happy vs Sad, moods rows only, F10,
artist-grouped 5-fold x seeds 1,2,3. Compares sklearn early stopping (random 10 %), fixed epochs, lbfgs and
the numpy trainer."""
import sys, time, numpy as np
from common import *
from runner import moods_xy
from npmlp import NPMLP
from sklearn.neural_network import MLPClassifier
m = load_moods(); sel = m.mood.isin(["Happy","Sad"]).values
def cv(make, feats=F10, seeds=SEEDS, task="happy"):
    oof = np.zeros((len(seeds), len(m))); fo = np.zeros((len(seeds), len(m)), int)
    for si, seed in enumerate(seeds):
        for k, (tr, te) in enumerate(folds(m, seed)):
            X, y = moods_xy(m.iloc[tr], feats, task); sc = MinMax().fit(X)
            oof[si, te] = make(seed*10+k).fitp(sc.transform(X), y, sc.transform(m.iloc[te][feats].values)); fo[si, te] = k
    from runner import report
    return report(m, oof, fo, task)
class SK:
    def __init__(self, **kw): self.kw = kw
    def __call__(self, s): self.s = s; return self
    def fitp(self, X, y, Xt):
        c = MLPClassifier(random_state=self.s, **self.kw).fit(X, y); return c.predict_proba(Xt)[:, 1]
class NP:
    def __init__(self, **kw): self.kw = kw
    def __call__(self, s): self.s = s; return self
    def fitp(self, X, y, Xt):
        return NPMLP(seed=self.s, **self.kw).fit(X, y[:, None]).predict(Xt)[:, 0]
V = {
 "sk_adam_early(16,a1e-2)": SK(hidden_layer_sizes=(16,), alpha=1e-2, early_stopping=True, batch_size=32, max_iter=400, n_iter_no_change=20),
}
for ep in [200, 500, 1000]:
    for a in [1e-3, 1e-2, 1e-1]:
        V[f"sk_adam_fixed{ep}(16,a{a})"] = SK(hidden_layer_sizes=(16,), alpha=a, batch_size=32, max_iter=ep, n_iter_no_change=10**9, tol=0)
for a in [1e-2, 1e-1, 1, 3]:
    V[f"sk_lbfgs(16,a{a})"] = SK(hidden_layer_sizes=(16,), alpha=a, solver="lbfgs", max_iter=2000)
for ep in [300, 1000]:
    for l2 in [1e-3, 1e-2]:
        V[f"np_adam_fixed{ep}(16,l2 {l2})"] = NP(hidden=16, l2=l2, epochs=ep)
names = [n for n in V if any(a in n for a in sys.argv[1:])] if len(sys.argv) > 1 else list(V)
for n in names:
    t0 = time.time(); r = cv(V[n])
    print(f"{n:32s} AUC {r['AUC']}  acc_cal {r['acc_cal']}  acc_raw {r['acc_raw']}  ECE_cal {r['ECE_cal']}  ({time.time()-t0:.0f}s)", flush=True)
