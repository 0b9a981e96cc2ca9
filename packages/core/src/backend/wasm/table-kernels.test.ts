import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES, KERNEL_TABLE } from '../kernel-table.js';
import { compileVariant } from './load-module.js';
import { wasmArity } from './table-kernels.js';
import { wasmGlobal } from './wasm-api.js';

/** Every kernel of the table, checked against the compiled module: one export each, of the arity the table implies. */
describe('the kernel table and the wasm module agree', () => {
  const wasm = wasmGlobal()!;
  const module = compileVariant({ relaxedSimd: false, shared: false })!;
  const memory = new wasm.Memory({ initial: 1, maximum: 65536 });
  const exports = new wasm.Instance(module, { env: { memory } }).exports;

  it('every kernel takes at least one buffer', () => {
    for (const name of KERNEL_NAMES) {
      const kinds = KERNEL_TABLE[name].args as readonly string[];
      expect(kinds.filter((kind) => kind === 'in' || kind === 'out').length, name).toBeGreaterThan(0);
    }
  });

  it('has an export for every table kernel with the argument count the table implies', () => {
    // gemm, gemmBatch, Adam and RMSProp take extra pack / pre-folded scalar arguments and are wrapped by hand.
    const byHand = new Set(['gemm', 'gemmBatch', 'adamUpdate', 'rmspropUpdate']);
    // The direct convolution is wrapped by hand from several exports (a padded copy, then the kernel).
    const composed: Partial<Record<string, string[]>> = {
      convForward: ['convPad', 'convDirectForward'],
      convWeightGradient: ['convPad', 'convDirectWeightGradient'],
      convInputGradient: ['convFlipWeights', 'convDirectForward'],
      // The Winograd transforms: one export per kernel size (3×3, 5×5), the tile transforms over a channel range with their scratch planes.
      winogradInput: ['winogradInputChannels', 'winograd5InputChannels'],
      winogradOutput: ['winogradOutputChannels', 'winograd5OutputChannels'],
      winogradOutputGradient: ['winogradOutputGradientChannels', 'winograd5OutputGradientChannels'],
      winogradInputGradient: ['winogradInputGradientChannels', 'winograd5InputGradientChannels'],
      winogradWeights: ['winogradWeights', 'winograd5Weights'],
      winogradWeightGradient: ['winogradWeightGradient', 'winograd5WeightGradient'],
    };
    const problems: string[] = [];
    for (const name of KERNEL_NAMES) {
      const parts = composed[name];
      if (parts) {
        for (const part of parts) if (typeof exports[part] !== 'function') problems.push(`${name}: no export ${part}`);
        continue;
      }
      const exported = exports[name] as ((...args: number[]) => unknown) | undefined;
      if (typeof exported !== 'function') problems.push(`${name}: no export`);
      else if (!byHand.has(name) && exported.length !== wasmArity(name)) {
        problems.push(`${name}: export takes ${exported.length} arguments, the table implies ${wasmArity(name)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
