import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, setBackend, useFastestBackend } from './index.js';
import { createJsBackend } from './js/js-backend.js';

describe('useFastestBackend', () => {
  const saved = process.env.SCRATCHNET_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.SCRATCHNET_BACKEND;
    else process.env.SCRATCHNET_BACKEND = saved;
    setBackend(createJsBackend());
  });

  it('installs the wasm backend where SIMD validates (Node 20 does)', async () => {
    delete process.env.SCRATCHNET_BACKEND;
    const backend = await useFastestBackend();
    expect(backend.name).toBe('wasm');
    expect(getBackend()).toBe(backend);
  });

  it('honours SCRATCHNET_BACKEND=js and the backend option, and rejects unknown names', async () => {
    process.env.SCRATCHNET_BACKEND = 'js';
    expect((await useFastestBackend()).name).toBe('js');
    expect((await useFastestBackend({ backend: 'wasm' })).name).toBe('wasm');
    process.env.SCRATCHNET_BACKEND = 'gpu';
    await expect(useFastestBackend()).rejects.toThrow(/SCRATCHNET_BACKEND must be 'js', 'wasm' or 'auto'/);
  });
});
