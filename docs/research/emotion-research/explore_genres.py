"""Exploration for Q1(d): where does a model trained on the human mood labels alone (all 365 dev songs,
5 inits averaged) put each of the 114 catalog genres? Prints per-genre mean P(happy) and P(energetic)."""
import numpy as np, pandas as pd
from common import *
from runner import moods_xy
m = load_moods(); t, u = load_catalog()
out = {}
for task in ["happy", "energetic"]:
    X, y = moods_xy(m, F10, task)
    ps = [fit_predict(X, y, None, [t[F10].values], 16, 1e-2, seed)[0][0] for seed in range(5)]
    t["p_" + task] = np.mean(ps, 0)
g = t.groupby("track_genre")[["p_happy", "p_energetic", "valence", "energy"]].mean()
g["frac_h>.8"] = t.assign(x=t.p_happy > .8).groupby("track_genre").x.mean()
g["frac_h<.2"] = t.assign(x=t.p_happy < .2).groupby("track_genre").x.mean()
pd.set_option("display.width", 200); pd.set_option("display.max_rows", 200)
print(g.sort_values("p_happy").round(3).to_string())
g.to_csv("logs/explore_genres.csv")
