"""Q5/Q6: train the recommended nets on ALL 365 dev songs, fit Platt (a, b) on the pooled out-of-fold scores of
the same recipe (oof/map__*.npy, seeds 1,2,3), score the catalog (80,811 unique tracks), print 10-bin histograms
before/after and the per-genre means (all 114 genres, a track under two genres counts in both).
'Before' = the genre-proxy MLP (happy vs sad genre tracks, 64 hidden, l2 1e-4), the stand-in for the shipped model.
Usage: python final_catalog.py HAPPY_MAP ENERGETIC_MAP"""
import sys, json, numpy as np, pandas as pd
from common import *
from exp5_label_maps import MAPS
m = load_moods(); t, u = load_catalog(); feats = F10
hmap, emap = sys.argv[1], sys.argv[2]
def train(mp, seed=1):
    d = m[m.mood.isin(list(mp))]
    (p,), net, sc = fitnp(d[feats].values, d.mood.map(mp).values.astype(float), None, [u[feats].values], 16, 1e-2, 1500, seed)
    return p[:, 0], net, sc
def oof_platt(name, pos, neg):
    oof = np.load(f"oof/map__{name}.npy"); sel = m.mood.isin([pos, neg]).values
    y = np.tile((m.mood.values[sel] == pos).astype(int), len(oof)); p = oof[:, sel].ravel()
    return platt_fit(p, y)
G = genre_rows(u, ["happy"], ["sad"])
(pb,), _, _ = fitnp(G[feats].values, G.y.values, None, [u[feats].values], 64, 1e-4, 3000, 1)
pb = pb[:, 0]
ph, neth, sch = train(MAPS[hmap]); pe, nete, sce = train(MAPS[emap])
ab_h = oof_platt(hmap, "Happy", "Sad"); ab_e = oof_platt(emap, "Energetic", "Calm")
ph_c = platt_apply(ph, ab_h); pe_c = platt_apply(pe, ab_e)
rows = {"before: genre-proxy P(happy)": pb, f"P(happy) raw [{hmap}]": ph, f"P(happy) Platt a={ab_h[0]:.3f} b={ab_h[1]:.3f}": ph_c,
        f"P(energetic) raw [{emap}]": pe, f"P(energetic) Platt a={ab_e[0]:.3f} b={ab_e[1]:.3f}": pe_c}
print("10-bin histograms over 80,811 catalog tracks (bins 0-.1 ... .9-1), share <.05 or >.95")
for k, v in rows.items():
    print(f"{k:45s} {' '.join(f'{x:6d}' for x in hist10(v))}  sat {saturation(v):.3f}")
print("Platt:", json.dumps({"happy": ab_h, "energetic": ab_e}))
# per genre (rows of tracks.csv)
idx = pd.Series(np.arange(len(u)), index=u.track_id)
r = t.assign(p_happy=ph_c[idx[t.track_id].values], p_energetic=pe_c[idx[t.track_id].values], p_before=pb[idx[t.track_id].values])
g = r.groupby("track_genre")[["p_happy", "p_energetic", "p_before", "valence", "energy"]].mean()
g.round(3).to_csv(f"logs/genres__{hmap}__{emap}.csv")
pd.set_option("display.width", 200)
for c in ["p_happy", "p_energetic"]:
    s = g.sort_values(c)
    print(f"\nbottom 10 by {c}:"); print(s.head(10).round(3).to_string())
    print(f"top 10 by {c}:"); print(s.tail(10).iloc[::-1].round(3).to_string())
print("\nrank of selected genres by calibrated P(happy) (1 = lowest of 114):")
rk = g.p_happy.rank().astype(int)
print({k: int(rk[k]) for k in ["happy", "sad", "party", "dance", "sleep", "death-metal", "classical", "acoustic", "children", "metal"]})
# the final nets' weights for reference
np.savez(f"logs/final_nets__{hmap}__{emap}.npz", **{f"h_{k}": getattr(neth, k) for k in ["W1", "b1", "W2", "b2"]},
         **{f"e_{k}": getattr(nete, k) for k in ["W1", "b1", "W2", "b2"]}, h_lo=sch.lo, h_hi=sch.hi, e_lo=sce.lo, e_hi=sce.hi)
