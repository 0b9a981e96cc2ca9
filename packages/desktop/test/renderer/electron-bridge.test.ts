import { describe, expect, it } from 'vitest';
import { createElectronBridge } from '../../src/renderer/src/bridge/electron-bridge.js';
import type { PreloadApi } from '../../src/shared/bridge-api.js';
import { qualifiedErrorCode } from '@scratchnet/core';
import { RemoteError } from '../../src/shared/error-envelope.js';

describe('the renderer side of the Electron bridge', () => {
  const api: PreloadApi = {
    loadDataset: async () => ({ ok: false, error: { code: 'dataset/DOWNLOAD_FAILED', message: 'every mirror failed', hint: 'pass --data-dir' } }),
    pickDatasetFiles: async () => ({ ok: true, value: null }),
    pickDatasetFolder: async () => ({ ok: true, value: null }),
    openCheckpoint: async () => ({ ok: true, value: { name: 'a.safetensors', bytes: new Uint8Array([1]) } }),
    saveCheckpoint: async () => ({ ok: false, error: { code: 'format/BAD_MAGIC', message: 'not a scratchnet checkpoint' } }),
    onDatasetProgress: () => () => {},
    loadHandwriting: async () => ({ ok: false, error: { code: 'desktop/INVALID_FILE', message: 'half a pair' } }),
    saveHandwriting: async () => ({ ok: true, value: { location: '/data/handwriting' } }),
  };
  const bridge = createElectronBridge(api);

  it('turns an error envelope into an error that keeps the namespace, code and hint from the main process', async () => {
    const error = await bridge.loadDataset({ name: 'mnist', split: 'train' }).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ namespace: 'dataset', code: 'DOWNLOAD_FAILED', message: 'every mirror failed', hint: 'pass --data-dir' });
    expect(qualifiedErrorCode(error)).toBe('dataset/DOWNLOAD_FAILED');
    await expect(bridge.saveCheckpoint({ suggestedName: 'a.safetensors', bytes: new Uint8Array(1) })).rejects.toMatchObject({ namespace: 'format', code: 'BAD_MAGIC' });
  });

  it('passes values and cancellations (null) through', async () => {
    expect(await bridge.pickDatasetFiles()).toBeNull();
    expect(await bridge.openCheckpoint()).toEqual({ name: 'a.safetensors', bytes: new Uint8Array([1]) });
  });
});
