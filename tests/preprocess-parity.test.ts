import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@scratchnet/core';
import { type ImageInput, mnistPreprocessOptions, preprocessDigit, strokeWidth } from '@scratchnet/datasets';
import { describe, expect, it } from 'vitest';

/**
 * preprocessDigit against the PIL + numpy reference (packages/datasets/src/preprocess/reference/
 * mnist_preprocess.py), pixel by pixel, on 120 seeded drawings: canvases from 12×12 to 300×260,
 * strokes 0.6–40 px wide, light on dark, dark on light, grey on grey, RGB, grey + alpha and RGBA
 * (transparent and opaque), off-centre, with faint specks.
 *
 * Tolerance: 1e-5 per pixel. Measured (Debian's python3-pil and numpy): max abs diff 5.96e-8, mean
 * 9.6e-13, over the 119 frames with ink (one drawing is too faint to read, and both say so); the
 * stroke-width step changed 32 of them (thickened) and 62 (thinned), so both directions are
 * compared. Every frame has the same ink pixels and the same shift; the only differences are
 * float32 roundings of sums taken in another order. Any wrong step (a half-pixel centring offset,
 * another median, nearest or bilinear resampling, a different stroke offset) costs whole grey
 * levels.
 *
 * Skipped where /usr/bin/python3 has no numpy and PIL (.ci/run installs python3-pil).
 */
const PYTHON = '/usr/bin/python3';
const REFERENCE = join(import.meta.dirname, '../packages/datasets/src/preprocess/reference/mnist_preprocess.py');
const hasPil = spawnSync(PYTHON, ['-c', 'import numpy, PIL'], { stdio: 'ignore' }).status === 0;
const TOLERANCE = 1e-5;

/** Anti-aliased polyline strokes on a canvas, in one of the styles a user's picture comes in. */
function randomDrawing(rng: Rng, index: number): ImageInput {
  const width = 12 + Math.floor(rng.uniform() * 289);
  const height = 12 + Math.floor(rng.uniform() * 249);
  const strokeWidth = 0.6 + rng.uniform() ** 2 * 40;
  // The drawing sits in a random part of the canvas (off-centre), at a random size.
  const bw = width * (0.15 + 0.8 * rng.uniform());
  const bh = height * (0.15 + 0.8 * rng.uniform());
  const bx = rng.uniform() * (width - bw);
  const by = rng.uniform() * (height - bh);
  const points = Array.from({ length: 2 + Math.floor(rng.uniform() * 6) }, () => [bx + rng.uniform() * bw, by + rng.uniform() * bh]);
  const coverage = new Float64Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let d = Number.POSITIVE_INFINITY;
      for (let k = 1; k < points.length; k++) d = Math.min(d, segmentDistance(x + 0.5, y + 0.5, points[k - 1], points[k]));
      coverage[y * width + x] = Math.min(1, Math.max(0, strokeWidth / 2 + 0.5 - d));
    }
  for (let k = 0; k < 3; k++) coverage[Math.floor(rng.uniform() * coverage.length)] = Math.max(0.05 * rng.uniform(), 0); // faint specks
  const style = index % 6;
  const channels = ([1, 3, 4, 2, 4, 1] as const)[style];
  const data = new Uint8Array(width * height * channels);
  const ink = Math.floor(rng.uniform() * 256);
  for (let p = 0; p < width * height; p++) {
    const c = coverage[p];
    const o = p * channels;
    if (style === 0) data[o] = Math.round(255 * c); // light on dark, grey
    if (style === 1) data.fill(Math.round(250 - 230 * c), o, o + 3); // dark on light, RGB
    if (style === 2 || style === 3) {
      data.fill(ink, o, o + channels - 1); // any colour on a transparent canvas
      data[o + channels - 1] = Math.round(255 * c);
    }
    if (style === 4) {
      data.set([Math.round(255 - 200 * c), Math.round(255 - 120 * c), 255, 255], o); // opaque RGBA, blue on white
    }
    if (style === 5) data[o] = Math.round(150 - 70 * c); // grey on grey
  }
  return { width, height, data, channels };
}

function segmentDistance(px: number, py: number, [ax, ay]: number[], [bx, by]: number[]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

describe.skipIf(!hasPil)('preprocessDigit agrees with the PIL + numpy reference', () => {
  it('on 120 seeded drawings of every style, pixel by pixel within 1e-5', () => {
    const rng = new Rng(13);
    const drawings = Array.from({ length: 120 }, (_, i) => randomDrawing(rng, i));
    const dir = mkdtempSync(join(tmpdir(), 'preprocess-parity-'));
    try {
      const manifest = drawings.map((d, i) => {
        writeFileSync(join(dir, `${i}.u8`), d.data as Uint8Array);
        return { input: `${i}.u8`, width: d.width, height: d.height, channels: d.channels, output: `${i}.f32` };
      });
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const run = spawnSync(PYTHON, [REFERENCE, join(dir, 'manifest.json')], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      let maxDiff = 0;
      let sumDiff = 0;
      let compared = 0;
      const strokes = { thickened: 0, thinned: 0 };
      drawings.forEach((drawing, i) => {
        const ours = preprocessDigit(drawing, mnistPreprocessOptions());
        const asDrawn = preprocessDigit(drawing, { ...mnistPreprocessOptions(), strokeWidthRange: null });
        if (ours && asDrawn && ours.some((v, p) => v !== asDrawn[p])) {
          const frame = (data: Float32Array) => ({ width: 28, height: 28, data });
          strokes[strokeWidth(frame(ours)) > strokeWidth(frame(asDrawn)) ? 'thickened' : 'thinned']++;
        }
        const bytes = readFileSync(join(dir, `${i}.f32`));
        const theirs = bytes.length ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) : null;
        expect(ours === null, `drawing ${i}: blank in one and not the other`).toBe(theirs === null);
        if (!ours || !theirs) return;
        for (let p = 0; p < 784; p++) {
          const d = Math.abs(ours[p] - theirs[p]);
          if (d > TOLERANCE) throw new Error(`drawing ${i} (${drawing.width}×${drawing.height}×${drawing.channels}): pixel ${p} ours ${ours[p]} reference ${theirs[p]}`);
          maxDiff = Math.max(maxDiff, d);
          sumDiff += d;
        }
        compared++;
      });
      console.log(
        `preprocess parity: ${compared} frames (${strokes.thickened} with strokes thickened, ${strokes.thinned} thinned), max abs diff ${maxDiff.toExponential(2)}, mean ${(sumDiff / (compared * 784)).toExponential(2)}`,
      );
      expect(compared).toBeGreaterThan(110);
      // Both directions of the stroke-width step are compared, not only the plain recipe.
      expect(strokes.thickened).toBeGreaterThan(10);
      expect(strokes.thinned).toBeGreaterThan(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The reference's brute-force distance transforms take ~5 s on a loaded 2-core machine.
  }, 120_000);
});
