#!/usr/bin/env python3
"""Canvas-like digit drawings from handwriting fonts, seeded, for `pnpm drawings:eval`.

Each font is one "writer". Every drawing is one digit rendered at a random size, aspect, position,
rotation, shear and stroke width onto a 280x280 canvas, as a person would draw it in the desktop
app or on paper: dark ink on white (RGB), white ink on black (grey), or ink on a transparent canvas
(RGBA, as the desktop canvas exports it). Same seed, same fonts and same Pillow -> same files.

Usage: generate_drawings.py OUT_DIR [--per-digit N] [--seed S] [--writers a,b,...]
Writes OUT_DIR/<writer>/<digit>-<n>.png and OUT_DIR/manifest.json; fonts that are not installed
are skipped and listed (the Debian package that has each is named in WRITERS).
"""

import argparse
import json
import math
import os
import random
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

CANVAS = 280

# writer name -> (Debian package, font file). Handwriting and script fonts; several per package
# where the package holds different hands.
WRITERS = {
    'dkg': ('fonts-dkg-handwriting', '/usr/share/fonts/truetype/fifthhorseman/dkg.ttf'),
    'dkg-bold': ('fonts-dkg-handwriting', '/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf'),
    'breip': ('fonts-breip', '/usr/share/fonts/truetype/breip/Breip.ttf'),
    'rufscript': ('fonts-rufscript', '/usr/share/fonts/truetype/rufscript/Rufscript010.ttf'),
    'steve-hand': ('fonts-sjfonts', '/usr/share/fonts/truetype/sjfonts/SteveHand.ttf'),
    'delphine': ('fonts-sjfonts', '/usr/share/fonts/truetype/sjfonts/Delphine.ttf'),
    'bw-build': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf'),
    'bw-connect': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf'),
    'bw-create': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf'),
    'bw-learn': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf'),
    'bw-mentor': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf'),
    'bw-organize': ('fonts-bwht', '/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf'),
    'humor-sans': ('fonts-humor-sans', '/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf'),
    'comic-neue': ('fonts-comic-neue', '/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf'),
    'kristi': ('fonts-kristi', '/usr/share/fonts/truetype/kristi/Kristi.ttf'),
    'dancing-script': ('fonts-dancingscript', '/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf'),
    'ecolier': ('fonts-ecolier-court', '/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf'),
    'kaushan': ('fonts-kaushanscript', '/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf'),
}

# Not drawn by default: femkeklaver's digits are hollow, sketched outlines (a "0" with a slash),
# not pen strokes, so no one draws a digit that way; `--writers femkeklaver` still renders it.
OUTLINE_WRITERS = {
    'femkeklaver': ('fonts-femkeklaver', '/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf'),
}

STYLES = ('dark-on-white', 'white-on-dark', 'transparent')
RENDER_SIZE = 200  # font size the glyph is rasterised at before the affine transform


def glyph_mask(font, digit, stroke):
    """The digit as an 8-bit coverage mask cropped to its ink, stroked `stroke` px wider (or thinner if negative)."""
    pad = 40 + abs(stroke) * 2
    probe = Image.new('L', (RENDER_SIZE * 2 + pad * 2, RENDER_SIZE * 2 + pad * 2), 0)
    ImageDraw.Draw(probe).text((pad, pad), digit, font=font, fill=255, stroke_width=max(stroke, 0), stroke_fill=255)
    if stroke < 0:
        eroded = probe.filter(ImageFilter.MinFilter(2 * -stroke + 1))
        # Keep a thinned glyph only if most of its strokes survive (a hairline font would vanish).
        if eroded.getbbox() and sum(eroded.histogram()[128:]) > 0.4 * sum(probe.histogram()[128:]):
            probe = eroded
    box = probe.getbbox()
    return probe.crop(box) if box else None


def is_missing_glyph(font, digit):
    """True when the font draws the digit as its .notdef box (same pixels as an unassigned code point)."""
    a = Image.new('L', (300, 300), 0)
    b = Image.new('L', (300, 300), 0)
    ImageDraw.Draw(a).text((20, 20), digit, font=font, fill=255)
    ImageDraw.Draw(b).text((20, 20), '\ue000', font=font, fill=255)
    return a.getbbox() is None or ImageChops.difference(a, b).getbbox() is None


def random_affine(rng, mask, height):
    """Scales the mask to `height` px tall (aspect jitter), rotates and shears it; returns the transformed mask."""
    w, h = mask.size
    scale = height / h
    sx = scale * rng.uniform(0.8, 1.2)
    sy = scale
    angle = math.radians(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.3)
    # Forward map (glyph centre at the origin): p' = R · Sh · S · p.
    c, s = math.cos(angle), math.sin(angle)
    a11, a12 = sx, shear * sy
    a21, a22 = 0.0, sy
    m11, m12 = c * a11 - s * a21, c * a12 - s * a22
    m21, m22 = s * a11 + c * a21, s * a12 + c * a22
    corners = [(x - w / 2, y - h / 2) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]
    xs = [m11 * x + m12 * y for x, y in corners]
    ys = [m21 * x + m22 * y for x, y in corners]
    out_w = max(1, math.ceil(max(xs) - min(xs)) + 4)
    out_h = max(1, math.ceil(max(ys) - min(ys)) + 4)
    det = m11 * m22 - m12 * m21
    i11, i12, i21, i22 = m22 / det, -m12 / det, -m21 / det, m11 / det
    # PIL wants the inverse map, output pixel -> input pixel.
    cx, cy = out_w / 2, out_h / 2
    coeffs = (i11, i12, w / 2 - i11 * cx - i12 * cy, i21, i22, h / 2 - i21 * cx - i22 * cy)
    big = mask.transform((out_w, out_h), Image.AFFINE, coeffs, resample=Image.BICUBIC)
    box = big.getbbox()
    return big.crop(box) if box else big


def compose(rng, ink_mask, style):
    """The ink placed at a random position on a 280x280 canvas in the given style."""
    w, h = ink_mask.size
    x = rng.randint(0, max(0, CANVAS - w))
    y = rng.randint(0, max(0, CANVAS - h))
    coverage = Image.new('L', (CANVAS, CANVAS), 0)
    coverage.paste(ink_mask, (x, y))
    if style == 'white-on-dark':
        return Image.merge('L', [coverage])
    if style == 'transparent':
        ink = tuple(rng.choice([(0, 0, 0), (20, 40, 160), (255, 255, 255)]))
        rgba = Image.new('RGBA', (CANVAS, CANVAS), ink + (0,))
        rgba.putalpha(coverage)
        return rgba
    paper = rng.randint(225, 255)
    ink_level = rng.randint(0, 60)
    paper_img = Image.new('RGB', (CANVAS, CANVAS), (paper, paper, paper))
    ink_img = Image.new('RGB', (CANVAS, CANVAS), (ink_level, ink_level, ink_level + rng.randint(0, 60)))
    return Image.composite(ink_img, paper_img, coverage)


def draw_one(rng, font, digit):
    height = rng.uniform(90, 240)
    # Extra stroke width on each side, as a fraction of the digit's height (a pen is thin or thick
    # for the size of the digit): from thinner than the font to much thicker.
    stroke_fraction = rng.choice([-0.025, -0.012, 0, 0, 0.012, 0.025, 0.04, 0.055])
    stroke = int(round(stroke_fraction * RENDER_SIZE))
    mask = glyph_mask(font, digit, stroke)
    if mask is None:
        return None, {}
    shaped = random_affine(rng, mask, height)
    # A drawing taller or wider than the canvas is shrunk to fit with a small margin.
    limit = CANVAS - 8
    if shaped.width > limit or shaped.height > limit:
        k = limit / max(shaped.width, shaped.height)
        shaped = shaped.resize((max(1, int(shaped.width * k)), max(1, int(shaped.height * k))), Image.LANCZOS)
    style = rng.choice(STYLES)
    return compose(rng, shaped, style), {'style': style, 'height': round(height), 'stroke': stroke_fraction}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out')
    parser.add_argument('--per-digit', type=int, default=10)
    parser.add_argument('--seed', type=int, default=13)
    parser.add_argument('--writers', default='')
    args = parser.parse_args()
    chosen = [w for w in args.writers.split(',') if w] or list(WRITERS)
    entries, skipped = [], []
    for writer in chosen:
        package, path = {**WRITERS, **OUTLINE_WRITERS}[writer]
        if not os.path.exists(path):
            skipped.append(f'{writer} ({package})')
            continue
        font = ImageFont.truetype(path, RENDER_SIZE)
        if any(is_missing_glyph(font, str(d)) for d in range(10)):
            skipped.append(f'{writer} (no digits in {os.path.basename(path)})')
            continue
        os.makedirs(os.path.join(args.out, writer), exist_ok=True)
        # One stream per writer, so adding or removing a font leaves the others' drawings unchanged.
        rng = random.Random(f'{args.seed}:{writer}')
        for digit in range(10):
            for n in range(args.per_digit):
                image, params = draw_one(rng, font, str(digit))
                if image is None:
                    continue
                name = f'{writer}/{digit}-{n:03d}.png'
                image.save(os.path.join(args.out, name))
                entries.append({'file': name, 'label': digit, 'writer': writer, 'package': package, **params})
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump({'seed': args.seed, 'canvas': CANVAS, 'drawings': entries, 'skipped': skipped}, f, indent=1)
    print(f'{len(entries)} drawings by {len(chosen) - len(skipped)} writers in {args.out}', file=sys.stderr)
    if skipped:
        print(f'skipped (not installed or no digits): {", ".join(skipped)}', file=sys.stderr)


if __name__ == '__main__':
    main()
