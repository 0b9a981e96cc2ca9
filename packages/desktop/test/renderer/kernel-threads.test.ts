import { getBackend } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { threadSupport } from '../../src/renderer/src/train/thread-support.js';
import { KernelThreads } from '../../src/renderer/src/training/kernel-threads.js';

describe('the training worker’s kernel threads', () => {
  it('makes one backend per thread count, installs it, and stops the old one’s workers', async () => {
    const kernels = new KernelThreads();
    const two = await kernels.use(2);
    expect(getBackend()).toBe(two);
    expect(two.threads).toBe(2); // Node: worker_threads on a shared WebAssembly.Memory
    expect(await kernels.use(2)).toBe(two); // same count: kept
    const one = await kernels.use(1);
    expect(one).not.toBe(two);
    expect(getBackend()).toBe(one);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(1); // disposed: still usable, on one thread
    (one as { dispose?: () => void }).dispose?.();
  });
});

describe('thread support of a page', () => {
  it('offers min(2, cores) threads on a cross-origin isolated page, else 1 with a note', () => {
    expect(threadSupport({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 8 } })).toMatchObject({ isolated: true, cores: 8, defaultThreads: 2, note: '' });
    expect(threadSupport({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 1 } }).defaultThreads).toBe(1);
    const plain = threadSupport({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 } });
    expect(plain).toMatchObject({ isolated: false, defaultThreads: 1 });
    expect(plain.note).toMatch(/not cross-origin isolated/);
  });
});
