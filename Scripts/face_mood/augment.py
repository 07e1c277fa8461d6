"""Photo-like augmentation of a 48x48 grey FER2013 face, then the 48 -> S resize of the C++ side.

moosic's C++ side (Sources/CVision/mood.cpp) cuts a square around the Haar box of a whole photo,
makes it grey, resizes it to 48x48 (INTER_AREA) and then to S x S (INTER_LINEAR). The training faces
are FER2013's 48x48 crops; this module makes them look like what that pipeline gives from photos of
other cameras and light, at the 48x48 stage, and then does exactly the C++ 48 -> S resize:

* crop jitter around the face box: zoom 0.85..1.18 (a looser or tighter crop), shift up to 8 % of the
  side, rotation up to 12 degrees, mirror (border pixels repeated, as square_crop does at a photo's edge);
* grey and colour casts: a cast changes the grey levels (cv::COLOR_BGR2GRAY of a tinted picture) like a
  gain and an offset: contrast 0.55..1.35, brightness -40..+30 grey levels, gamma 0.6..1.7;
* low light: one face in five darkened to 30..65 % with sensor noise (sigma 2..9 grey levels);
* blur and low resolution: Gaussian blur (sigma 0.4..1.3) or a down-and-up resize to 18..36 px;
* JPEG artefacts: quality 30..90 (cv2.imencode), one face in three.
"""
import math

import cv2
import numpy as np


def augment_face(img, rng, size):
    """img: 48x48 uint8 grey. rng: numpy Generator. Returns a size x size uint8 image."""
    f = img
    if rng.random() < 0.5:
        f = f[:, ::-1]
    # crop jitter: zoom about the centre, shift, rotate (one affine warp, border replicated)
    zoom = math.exp(rng.uniform(math.log(0.85), math.log(1.18)))
    ang = rng.uniform(-12.0, 12.0)
    tx, ty = rng.uniform(-0.08, 0.08, size=2) * 48
    m = cv2.getRotationMatrix2D((23.5, 23.5), ang, zoom)
    m[:, 2] += (tx, ty)
    f = cv2.warpAffine(np.ascontiguousarray(f), m, (48, 48), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    x = f.astype(np.float32)
    # casts: gain / offset / gamma
    if rng.random() < 0.8:
        c = rng.uniform(0.55, 1.35)
        mean = x.mean()
        x = (x - mean) * c + mean + rng.uniform(-40.0, 30.0)
        x = np.clip(x, 0, 255)
    if rng.random() < 0.4:
        g = math.exp(rng.uniform(math.log(0.6), math.log(1.7)))
        x = 255.0 * (x / 255.0) ** g
    # low light
    if rng.random() < 0.2:
        x = x * rng.uniform(0.3, 0.65) + rng.normal(0, rng.uniform(2.0, 9.0), x.shape)
    elif rng.random() < 0.2:
        x = x + rng.normal(0, rng.uniform(1.0, 5.0), x.shape)
    f = np.clip(np.rint(x), 0, 255).astype(np.uint8)
    # blur / low resolution
    r = rng.random()
    if r < 0.2:
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.4, 1.3), borderType=cv2.BORDER_REPLICATE)
    elif r < 0.35:
        s = int(rng.integers(18, 37))
        f = cv2.resize(cv2.resize(f, (s, s), interpolation=cv2.INTER_AREA), (48, 48), interpolation=cv2.INTER_LINEAR)
    # JPEG artefacts
    if rng.random() < 0.33:
        ok, buf = cv2.imencode(".jpg", f, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 91))])
        if ok:
            f = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if size != 48:
        f = cv2.resize(f, (size, size), interpolation=cv2.INTER_LINEAR)
    return f


def augment_portrait(img, rng, size):
    """The other kind of photo the model fails on (issue 24): a grey frontal portrait in even studio light, sharp,
    face upright and centred. img: 48x48 uint8 grey. Returns a size x size uint8 image.

    Mirror p = 0.5; a small crop jitter (zoom 0.92..1.10, shift up to 4 %, rotation up to 5 degrees); even light:
    local contrast equalised (CLAHE, clip 1.5..3.0 on 4x4 tiles, p = 0.5) or the grey levels stretched so the 2nd and
    98th percentiles land on 10..30 and 225..245; then either a light Gaussian blur (sigma 0.3..0.7, p = 0.5), the
    smoothness of a downscaled high-resolution photo, or nothing. No low light, noise or JPEG artefacts."""
    f = img[:, ::-1] if rng.random() < 0.5 else img
    zoom = math.exp(rng.uniform(math.log(0.92), math.log(1.10)))
    m = cv2.getRotationMatrix2D((23.5, 23.5), rng.uniform(-5.0, 5.0), zoom)
    m[:, 2] += rng.uniform(-0.04, 0.04, size=2) * 48
    f = cv2.warpAffine(np.ascontiguousarray(f), m, (48, 48), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.5:
        f = cv2.createCLAHE(clipLimit=rng.uniform(1.5, 3.0), tileGridSize=(4, 4)).apply(f)
    else:
        lo, hi = np.percentile(f, (2, 98))
        a, b = rng.uniform(10, 30), rng.uniform(225, 245)
        x = (f.astype(np.float32) - lo) * (b - a) / max(hi - lo, 1.0) + a
        f = np.clip(np.rint(x), 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.3, 0.7), borderType=cv2.BORDER_REPLICATE)
    if size != 48:
        f = cv2.resize(f, (size, size), interpolation=cv2.INTER_LINEAR)
    return f


def augment_batch(imgs, rng, size, portrait_share=0.0):
    """imgs: [B,48,48] uint8 -> float32 [B,1,S,S] array (0..255); each face is made a studio portrait
    (augment_portrait) with probability portrait_share, else a photo of any camera and light (augment_face)."""
    out = np.empty((len(imgs), 1, size, size), dtype=np.float32)
    for i, im in enumerate(imgs):
        portrait = portrait_share > 0 and rng.random() < portrait_share
        out[i, 0] = augment_portrait(im, rng, size) if portrait else augment_face(im, rng, size)
    return out
