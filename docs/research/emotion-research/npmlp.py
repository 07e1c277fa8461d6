"""A small numpy MLP that mirrors moosic's Swift trainer (inputs min-max scaled and clamped, one ReLU hidden
layer, K sigmoid outputs, binary cross-entropy with per-row-per-output weights (0 = masked), L2 on the
weights (not biases), Adam lr 1e-3, mini-batches of 32, Glorot-uniform init, early stopping on a given
validation set's weighted loss with patience, best epoch's weights kept).

Used because sklearn's MLPClassifier cannot (i) mask a missing label per output or (ii) early-stop on the
loss of chosen rows (the human-labelled ones) instead of a random 10 % dominated by genre rows."""
import numpy as np


class NPMLP:
    def __init__(self, hidden=16, l2=1e-3, lr=1e-3, batch=32, epochs=300, patience=30, seed=0, tol=1e-5):
        self.h, self.l2, self.lr, self.batch, self.epochs, self.patience, self.seed, self.tol = hidden, l2, lr, batch, epochs, patience, seed, tol

    def _init(self, d, k, rng):
        a1 = np.sqrt(6 / (d + self.h)); a2 = np.sqrt(6 / (self.h + k))
        self.W1 = rng.uniform(-a1, a1, (d, self.h)); self.b1 = np.zeros(self.h)
        self.W2 = rng.uniform(-a2, a2, (self.h, k)); self.b2 = np.zeros(k)

    def _fwd(self, X):
        H = np.maximum(X @ self.W1 + self.b1, 0)
        Z = H @ self.W2 + self.b2
        return H, Z

    def predict(self, X):
        return 1 / (1 + np.exp(-np.clip(self._fwd(X)[1], -50, 50)))

    def loss(self, X, Y, W):
        Z = self._fwd(X)[1]
        l = np.logaddexp(0, Z) - Y * Z  # BCE with logits
        return float((W * l).sum() / max(W.sum(), 1e-12))

    def fit(self, X, Y, W=None, Xv=None, Yv=None, Wv=None):
        """X (n,d) in [0,1]; Y (n,k) in {0,1}; W (n,k) >= 0 (0 = missing label). Loss is sum(W*bce)/sum(W)
        per batch, normalised by the mean weight of the whole set so batch losses are comparable."""
        rng = np.random.default_rng(self.seed)
        Y = Y.reshape(len(X), -1).astype(float); k = Y.shape[1]
        W = np.ones_like(Y) if W is None else W.reshape(len(X), -1).astype(float)
        self._init(X.shape[1], k, rng)
        params = ["W1", "b1", "W2", "b2"]
        m = {p: 0 * getattr(self, p) for p in params}; v = {p: 0 * getattr(self, p) for p in params}
        t = 0; b1, b2, eps = 0.9, 0.999, 1e-8
        wmean = W.sum() / len(X)
        best = (np.inf, None, 0); bad = 0
        self.epochs_run = 0
        for ep in range(self.epochs):
            order = rng.permutation(len(X))
            for s in range(0, len(X), self.batch):
                idx = order[s:s + self.batch]; xb, yb, wb = X[idx], Y[idx], W[idx]
                H, Z = self._fwd(xb)
                P = 1 / (1 + np.exp(-np.clip(Z, -50, 50)))
                dZ = wb * (P - yb) / (len(idx) * wmean)
                g = {"W2": H.T @ dZ + self.l2 * self.W2, "b2": dZ.sum(0)}
                dH = (dZ @ self.W2.T) * (H > 0)
                g["W1"] = xb.T @ dH + self.l2 * self.W1; g["b1"] = dH.sum(0)
                t += 1
                for p in params:
                    m[p] = b1 * m[p] + (1 - b1) * g[p]; v[p] = b2 * v[p] + (1 - b2) * g[p] ** 2
                    mh = m[p] / (1 - b1 ** t); vh = v[p] / (1 - b2 ** t)
                    setattr(self, p, getattr(self, p) - self.lr * mh / (np.sqrt(vh) + eps))
            self.epochs_run = ep + 1
            if Xv is not None:
                lv = self.loss(Xv, Yv.reshape(len(Xv), -1), np.ones_like(Yv.reshape(len(Xv), -1)) if Wv is None else Wv.reshape(len(Xv), -1))
                if lv < best[0] - self.tol:
                    best = (lv, {p: getattr(self, p).copy() for p in params}, ep + 1); bad = 0
                else:
                    bad += 1
                    if bad >= self.patience:
                        break
        if Xv is not None and best[1] is not None:
            for p in params:
                setattr(self, p, best[1][p])
            self.best_epoch = best[2]
        return self
