#!/usr/bin/env python3
"""Reference implementation of scratchnet's digit preprocessing (preprocessDigit), in PIL + numpy.

Written from the recipe, not translated from the TypeScript, and with different means where the
libraries have them: PIL finds the bounding box (getbbox), numpy does the distance transform by brute force, the area resampling as two
coverage matrices (rows, then columns) and the centre of mass with np.indices.

The recipe (MNIST's, as LeCun, Cortes and Burges describe it, plus the ink extraction a drawing
needs):
  1. Ink: with an alpha channel that is not fully opaque, ink = alpha / 255. Otherwise ink =
     BT.601 luma (0.299 R + 0.587 G + 0.114 B) / 255, inverted when the border's median is above
     0.5 (dark ink on paper). Either way it is then stretched so the border's median is 0 and the
     strongest pixel 1 (a contrast under 0.1 means there is nothing to read).
  2. Bounding box of the pixels above 0.1.
  2b. Stroke width (not in MNIST's recipe; its writers all used the same kind of pen): width =
     2 * ink / (sum of |jumps| between neighbours across and down, outside counting as 0). When
     the digit's longer side L is at least 40 px and width * 20 / L falls outside [1.45, 2.0]
     (MNIST's 10th percentile and its median), the ink above 0.5 is redrawn from its signed distance
     field, delta px wider per side with delta solving (w + 2 delta) * 20 / (L + 2 delta) = the
     nearer bound, and cropped again (step 2); then up to two secant steps on delta until the
     measured width is within 0.05 of the bound (delta limited to +-L / 4, then rounded to 1/1024
     px, each time). A redraw
     whose box's longer side is under L / 2 (a blob thinned to a speck) ends the search; of the
     redraws made (and the drawing as it was), the one whose width comes closest to the bound
     is used.
  3. Scale the box so its longer side is 20 px, the shorter round(side * 20 / longer) (at least
     1), by area averaging: each output pixel is the mean of the source area it covers.
  4. Scale so the strongest pixel is 1 (a thin pen line would otherwise be faint).
  5. Paste into 28x28 so the centre of mass (pixel-index coordinates) lands on pixel (14, 14):
     shift = floor(14 - com + 0.5), limited so no ink leaves the frame.

Intermediate images are float32 where the TypeScript stores Float32Array, arithmetic float64.

Usage: mnist_preprocess.py MANIFEST.json
  MANIFEST: [{"input": "a.u8", "width": W, "height": H, "channels": C, "output": "a.f32"}, ...]
  Each input is raw row-major uint8 samples; each output is 784 little-endian float32, or an
  empty file when there is no ink.
"""

import json
import os
import sys

import numpy as np
from PIL import Image

FRAME = 28
BOX = 20
THRESHOLD = 0.1
MIN_CONTRAST = 0.1
STROKE_RANGE = (1.45, 2.0)


def border_median(a):
    ring = np.concatenate([a[0, :], a[-1, :], a[1:-1, 0], a[1:-1, -1]]) if a.shape[0] > 1 else a[0, :]
    return float(np.median(ring.astype(np.float64)))


def ink_map(samples, channels):
    s = samples.astype(np.float64)
    if channels in (2, 4) and np.any(samples[:, :, -1] < 255):
        ink = (s[:, :, -1] / 255).astype(np.float32)
    else:
        luma = s[:, :, 0] if channels < 3 else 0.299 * s[:, :, 0] + 0.587 * s[:, :, 1] + 0.114 * s[:, :, 2]
        ink = (luma / 255).astype(np.float32)
        if border_median(ink) > 0.5:
            ink = (1.0 - ink.astype(np.float64)).astype(np.float32)
    background = border_median(ink)
    top = float(ink.max())
    if top - background < MIN_CONTRAST:
        return None
    return np.clip((ink.astype(np.float64) - background) / (top - background), 0, 1).astype(np.float32)


def coverage(n_in, n_out):
    """(n_out, n_in) matrix: how much of input pixel j output pixel i covers, divided by the scale."""
    scale = n_in / n_out
    lo = np.arange(n_out)[:, None] * scale
    hi = lo + scale
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0, None)
    return overlap / scale


def resize_area(a, width, height):
    return (coverage(a.shape[0], height) @ a.astype(np.float64) @ coverage(a.shape[1], width).T).astype(np.float32)


def squared_distance_to_set(mask):
    """Exact squared distance from each pixel centre to the nearest True pixel, by brute force
    along rows and then columns (the squared Euclidean distance separates)."""
    h, w = mask.shape
    xs = np.arange(w)
    along_rows = np.full((h, w), np.inf)
    for y in range(h):
        cols = np.nonzero(mask[y])[0]
        if cols.size:
            along_rows[y] = ((xs[:, None] - cols[None, :]) ** 2).min(axis=1)
    ys = np.arange(h)
    dy2 = (ys[:, None] - ys[None, :]) ** 2
    out = np.empty((h, w))
    for x in range(w):
        out[:, x] = (along_rows[None, :, x] + dy2).min(axis=1)
    return out


def stroke_width(a):
    v = a.astype(np.float64)
    edges = np.abs(np.diff(np.pad(v, ((0, 0), (1, 1))), axis=1)).sum() + np.abs(np.diff(np.pad(v, ((1, 1), (0, 0))), axis=0)).sum()
    return 2 * v.sum() / edges if edges > 0 else 0.0


def offset_strokes(a, delta):
    pad = max(0, int(np.ceil(delta))) + 1
    inside = np.pad(a.astype(np.float64) >= 0.5, pad)
    to_ink = squared_distance_to_set(inside)
    to_paper = squared_distance_to_set(~inside)
    signed = np.where(inside, 0.5 - np.sqrt(to_paper), np.sqrt(to_ink) - 0.5)
    return np.clip(delta + 0.5 - signed, 0, 1).astype(np.float32)


def ink_box(a):
    """(left, top, right, bottom) of the pixels above THRESHOLD, by PIL; None when there are none."""
    return Image.fromarray(((a.astype(np.float64) > THRESHOLD) * 255).astype(np.uint8), mode='L').getbbox()


def normalise_strokes(glyph):
    def width_after_scaling(a):
        return stroke_width(a) * BOX / max(a.shape)

    longer = max(glyph.shape)
    if longer < 2 * BOX:
        return glyph
    width = stroke_width(glyph)
    scaled = width_after_scaling(glyph)
    target = min(max(scaled, STROKE_RANGE[0]), STROKE_RANGE[1])
    if width == 0 or target == scaled:
        return glyph
    previous_delta, previous_width = 0.0, scaled
    delta = (target * longer / BOX - width) / (1 - target / BOX) / 2
    best, miss = glyph, abs(scaled - target)
    for _ in range(3):
        delta = float(np.floor(min(max(delta, -longer / 4), longer / 4) * 1024 + 0.5)) / 1024
        redrawn = offset_strokes(glyph, delta)
        box = ink_box(redrawn)
        if box is None or max(box[2] - box[0], box[3] - box[1]) < longer / 2:
            break
        left, top, right, bottom = box
        candidate = redrawn[top:bottom, left:right]
        got = width_after_scaling(candidate)
        if abs(got - target) < miss:
            best, miss = candidate, abs(got - target)
        if abs(got - target) < 0.05 or got == previous_width:
            break
        following = delta + (target - got) * (delta - previous_delta) / (got - previous_width)
        previous_delta, previous_width = delta, got
        delta = following
    return best


def preprocess(samples, channels):
    ink = ink_map(samples, channels)
    if ink is None:
        return None
    box = ink_box(ink)
    if box is None:
        return None
    left, top, right, bottom = box
    glyph = normalise_strokes(ink[top:bottom, left:right])
    h, w = glyph.shape
    scale = BOX / max(w, h)
    out_w = max(1, int(np.floor(w * scale + 0.5)))
    out_h = max(1, int(np.floor(h * scale + 0.5)))
    small = resize_area(glyph, out_w, out_h)
    peak = float(small.max())
    if 0 < peak < 1:
        small = (small.astype(np.float64) / peak).astype(np.float32)
    mass = small.astype(np.float64)
    total = mass.sum()
    ys, xs = np.indices(mass.shape)
    cy, cx = (ys * mass).sum() / total, (xs * mass).sum() / total
    dx = int(np.clip(np.floor(FRAME / 2 - cx + 0.5), 0, max(0, FRAME - out_w)))
    dy = int(np.clip(np.floor(FRAME / 2 - cy + 0.5), 0, max(0, FRAME - out_h)))
    frame = np.zeros((FRAME, FRAME), np.float32)
    frame[dy:dy + out_h, dx:dx + out_w] = small[:FRAME - dy, :FRAME - dx]
    return frame


def main():
    manifest_path = sys.argv[1]
    folder = os.path.dirname(os.path.abspath(manifest_path))
    for item in json.load(open(manifest_path)):
        raw = np.fromfile(os.path.join(folder, item['input']), dtype=np.uint8)
        samples = raw.reshape(item['height'], item['width'], item['channels'])
        frame = preprocess(samples, item['channels'])
        with open(os.path.join(folder, item['output']), 'wb') as f:
            if frame is not None:
                f.write(frame.astype('<f4').tobytes())


if __name__ == '__main__':
    main()
