import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, OFFLINE, TINY_CLASSES, encodeGreyPng, runCli, startHarness, tinyTestImage } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const tiny = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-16-5', '--epochs', '3', '--batch-size', '16', '--out', 'tiny.safetensors']);
  expect(tiny.code).toBe(0);
  // Real handwritten digits (the offline set bundled with the `mnist` package) for drawn PNGs.
  const digits = await runCli(h, ['train', '--dataset', 'digits', '--arch', '784-64-10', '--epochs', '4', '--out', 'digits.safetensors'], { env: OFFLINE });
  expect(digits.code).toBe(0);
});
afterAll(() => h?.close());

describe('scratchnet-cli play', () => {
  it('plays rounds from piped stdin, rejects a non-class guess, keeps both scores, stops on q', async () => {
    const run = await runCli(h, ['play', 'tiny.safetensors', '--rounds', '5', '--seed', '3'], { input: '0\nfoo\ncentre\nq\n' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("'foo' is not a class");
    expect(run.stdout).not.toContain('\u001b'); // no colour codes into a pipe
    const rounds = [...run.stdout.matchAll(/answer: (\S+)\s+·\s+you: (\S+) ([✓✗])\s+·\s+model: (\S+) ([✓✗])\n\s+score: you (\d+)\/(\d+)\s+model (\d+)\/(\d+)/g)];
    expect(rounds).toHaveLength(2);
    expect(rounds.map((r) => r[2])).toEqual([TINY_CLASSES[0], 'centre']);
    let human = 0;
    let machine = 0;
    rounds.forEach((r, i) => {
      expect(r[3]).toBe(r[1] === r[2] ? '✓' : '✗');
      expect(r[5]).toBe(r[1] === r[4] ? '✓' : '✗');
      human += r[3] === '✓' ? 1 : 0;
      machine += r[5] === '✓' ? 1 : 0;
      expect([Number(r[6]), Number(r[7]), Number(r[8]), Number(r[9])]).toEqual([human, i + 1, machine, i + 1]);
    });
    expect(run.stdout).toContain(`final score after 2 rounds: you ${human}, model ${machine}`);
    // Each round draws the 28×28 image as 14 text lines of half-block shades.
    expect(run.stdout).toMatch(/(\n[ ░▒▓█]{28}){14}\n/);
  });

  it('ends cleanly when stdin ends', async () => {
    const run = await runCli(h, ['play', 'tiny.safetensors', '--seed', '1'], { input: '1\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('final score after 1 round:');
  });
});

describe('scratchnet-cli predict', () => {
  it('a PNG of a test image (no preprocessing) gets exactly the prediction of --index', async () => {
    writeFileSync(join(h.root, 'test7.png'), encodeGreyPng(28, 28, tinyTestImage(h, 7)));
    const fromPng = await runCli(h, ['predict', 'tiny.safetensors', 'test7.png', '--no-preprocess', '--json']);
    const fromIndex = await runCli(h, ['predict', 'tiny.safetensors', '--index', '7', '--json']);
    expect(fromPng.code).toBe(0);
    const a = JSON.parse(fromPng.stdout);
    const b = JSON.parse(fromIndex.stdout);
    expect(b.label).toBe(TINY_CLASSES[7 % 5]);
    expect(a.top).toHaveLength(3);
    expect(a.top).toEqual(b.top);
  });

  it('preprocesses a large dark-on-light drawing like the canvas: a stroke is a 1, a ring is a 0', async () => {
    const width = 120;
    const height = 160;
    const one = new Uint8Array(width * height).fill(255);
    for (let y = 20; y < 140; y++) for (let x = 52; x < 66; x++) one[y * width + x] = 0;
    const zero = new Uint8Array(width * height).fill(255);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const r = Math.hypot((x - 60) / 40, (y - 80) / 60);
        if (r > 0.75 && r < 1) zero[y * width + x] = 0;
      }
    writeFileSync(join(h.root, 'one.png'), encodeGreyPng(width, height, one));
    writeFileSync(join(h.root, 'zero.png'), encodeGreyPng(width, height, zero));
    const run = await runCli(h, ['predict', 'digits.safetensors', 'one.png', 'zero.png'], { env: OFFLINE });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/one\.png\n {2}1\. 1 +[\d.]+%\n {2}2\. \S+ +[\d.]+%\n {2}3\. \S+ +[\d.]+%/);
    expect(run.stdout).toMatch(/zero\.png\n {2}1\. 0 +[\d.]+%/);
  });

  it('a blank image is an error that says so (exit 1), not a guess', async () => {
    writeFileSync(join(h.root, 'blank.png'), encodeGreyPng(40, 40, new Uint8Array(1600).fill(255)));
    const run = await runCli(h, ['predict', 'digits.safetensors', 'blank.png']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 'blank\.png' is blank: there is no drawing to classify\n/);
  });
});
