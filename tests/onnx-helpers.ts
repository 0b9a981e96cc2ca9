import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';

/** onnxruntime-node, loaded with require (its CommonJS entry loads the bundled CPU binary). */
export const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;

export const PYTHON = '/usr/bin/python3';
export const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
export const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** Runs an .onnx model's bytes on a [rows, ...shape] float32 input; returns every output's data. */
export async function runOnnx(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
    return Object.fromEntries(Object.entries(result).map(([name, t]) => [name, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** Largest absolute difference and how many rows have the same arg-max, over `cols`-wide rows. */
export function compareRows(a: ArrayLike<number>, b: ArrayLike<number>, cols: number): { maxDiff: number; sameArgmax: number; rows: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let maxDiff = 0;
  let sameArgmax = 0;
  const rows = a.length / cols;
  for (let r = 0; r < rows; r++) {
    let ia = 0;
    let ib = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      if (a[i] > a[r * cols + ia]) ia = c;
      if (b[i] > b[r * cols + ib]) ib = c;
    }
    if (ia === ib) sameArgmax++;
  }
  return { maxDiff, sameArgmax, rows };
}

/** `onnx.checker.check_model(…, full_check=True)` on each file; returns the failures' messages. */
export function checkWithOnnx(paths: string[]): string {
  const script = `
import sys, onnx
bad = []
for p in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(p), full_check=True)
    except Exception as e:
        bad.append(p + ": " + str(e).splitlines()[0])
print("\\n".join(bad))
sys.exit(1 if bad else 0)
`;
  const run = spawnSync(PYTHON, ['-c', script, ...paths], { encoding: 'utf8' });
  return run.status === 0 ? '' : `${run.stdout}${run.stderr}`;
}
