import type { Sequential } from '@scratchnet/core';

type Tensors = ReadonlyMap<string, { data: Float32Array }>;

/** Names of the tensors whose bytes differ between two state dicts (empty when bit-identical). */
export function differingTensors(a: Tensors, b: Tensors): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((name) => {
    const x = a.get(name)?.data;
    const y = b.get(name)?.data;
    if (!x || !y) return true;
    return !Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  });
}

/** Largest |a − b| / max(1, |a|) over all parameters of two models with the same spec. */
export function maxRelativeDifference(a: Sequential, b: Sequential): number {
  const other = b.stateDict();
  let worst = 0;
  for (const [name, tensor] of a.stateDict()) {
    const y = other.get(name)!.data;
    tensor.data.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - y[i]) / Math.max(1, Math.abs(x)));
    });
  }
  return worst;
}
