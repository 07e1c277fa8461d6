"""The whole photos of $MOOSIC_DEV_DATA/photos, cut into 48x48 face crops exactly as Sources/CVision/mood.cpp
does (Haar alt2 detection with Models/face_mood.json's settings, largest face, square crop of
crop_scale x the box side with edge pixels repeated, grey, 48x48 INTER_AREA).

Used for the calibration by cross-validation (export.py) and the photo figures (evaluate.py); the
Swift binary's own figures come from Scripts/eval-face-mood.
"""
import csv
import json
import os

import cv2
import numpy as np

CASCADE_DIRS = ["/usr/share/opencv4/haarcascades", getattr(getattr(cv2, "data", None), "haarcascades", "")]


def settings(repo):
    with open(os.path.join(repo, "Models", "face_mood.json")) as f:
        return json.load(f)


def cascade(s):
    for d in CASCADE_DIRS:
        p = os.path.join(d, s["cascade"])
        if d and os.path.exists(p):
            c = cv2.CascadeClassifier(p)
            if not c.empty():
                return c
    raise FileNotFoundError(s["cascade"])


def detect_faces(casc, colour, s):
    grey = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    scale = 1.0
    long_side = max(grey.shape)
    if long_side > s["detect_max_side"]:
        scale = s["detect_max_side"] / long_side
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    border = int(round(s["detect_border"] * max(grey.shape)))
    if border > 0:
        grey = cv2.copyMakeBorder(grey, border, border, border, border, cv2.BORDER_REPLICATE)

    def min_side(frac):
        return max(24, int(round(frac * min(colour.shape[:2]) * scale)))

    mn = min_side(s["detect_min_face"])
    found = casc.detectMultiScale(grey, 1.1, s["detect_min_neighbors"], 0, (mn, mn))
    retry = min_side(s["detect_min_face_retry"])
    if len(found) == 0 and retry < mn:
        found = casc.detectMultiScale(grey, 1.1, s["detect_min_neighbors"], 0, (retry, retry), (mn, mn))
    return [((x - border) / scale, (y - border) / scale, w / scale, h / scale) for (x, y, w, h) in found]


def square_crop(colour, cx, cy, side):
    n = max(1, int(round(side)))
    x, y = int(round(cx - side / 2)), int(round(cy - side / 2))
    H, W = colour.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + n), min(H, y + n)
    if x1 <= x0 or y1 <= y0:
        return np.full((n, n), 128, np.uint8)
    g = cv2.cvtColor(colour[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    top, left, bottom, right = y0 - y, x0 - x, (y + n) - y1, (x + n) - x1
    if top or left or bottom or right:
        g = cv2.copyMakeBorder(g, top, bottom, left, right, cv2.BORDER_REPLICATE)
    return g


def crop48(colour, box, s, scale=None, shift=None):
    """The crop_size x crop_size grey crop around a face box (x, y, w, h) as mood.cpp cuts it: a square of
    crop_scale x the box's longer side, its centre moved down by crop_shift x that side. scale and shift
    stand in for the settings' values (levers.py measures other crops)."""
    x, y, w, h = box
    side = max(w, h)
    shift = s.get("crop_shift", 0.0) if shift is None else shift
    crop = square_crop(colour, x + w / 2, y + h / 2 + shift * side, (s["crop_scale"] if scale is None else scale) * side)
    c = s["crop_size"]
    if crop.shape[0] != c:
        crop = cv2.resize(crop, (c, c), interpolation=cv2.INTER_AREA if crop.shape[0] > c else cv2.INTER_LINEAR)
    return crop


def face48(colour, casc, s):
    """The 48x48 grey crop of the largest face, or None when no face is found."""
    faces = detect_faces(casc, colour, s)
    if not faces:
        return None
    return crop48(colour, max(faces, key=lambda b: b[2] * b[3]), s)


def load(root, repo):
    """rows of labels.csv (with 'face48': uint8 48x48 or None) for every photo."""
    s = settings(repo)
    casc = cascade(s)
    with open(os.path.join(root, "photos", "labels.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        img = cv2.imread(os.path.join(root, "photos", r["file"]), cv2.IMREAD_COLOR)
        r["face48"] = None if img is None else face48(img, casc, s)
    return rows


def to_input(f48, size):
    return f48 if size == 48 else cv2.resize(f48, (size, size), interpolation=cv2.INTER_LINEAR)
