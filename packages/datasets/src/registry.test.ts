import { describe, expect, it } from 'vitest';
import { DatasetErrorCode } from './errors.js';
import { FASHION_MNIST, KMNIST, MNIST, datasetNames, getDatasetSpec, matchDigests, registerDataset } from './registry.js';

describe('registry', () => {
  it('knows mnist, fashion-mnist and kmnist with their class names and four official files', () => {
    expect(datasetNames().slice(0, 3)).toEqual(['mnist', 'fashion-mnist', 'kmnist']);
    expect(KMNIST.classNames).toHaveLength(10);
    expect(Object.values(KMNIST.files).map((f) => f.compressed[0].md5)).toEqual([
      'bdb82020997e1d708af4cf47b453dcf7', 'e144d726b3acfaa3e44228e80efcd344', '5c965bf0a639b31b8f53240b1b52f4d7', '7320c461ea6c1c855c0b718fb2a4b134',
    ]);
    expect(getDatasetSpec('fashion-mnist').classNames).toEqual([
      'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
    ]);
    expect(MNIST.files.testLabels.fileName).toBe('t10k-labels-idx1-ubyte.gz');
    for (const spec of [MNIST, FASHION_MNIST]) {
      for (const file of Object.values(spec.files)) {
        expect(file.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(file.compressed.length).toBeGreaterThan(0);
      }
    }
  });

  it('names the valid choices for an unknown data set, and has room for more', () => {
    expect(() => getDatasetSpec('cifar')).toThrow('unknown data set "cifar"; known: mnist, fashion-mnist, kmnist');
    registerDataset({ ...MNIST, name: 'emnist-digits', title: 'EMNIST digits' });
    expect(getDatasetSpec('emnist-digits').title).toBe('EMNIST digits');
    expect(datasetNames().at(-1)).toBe('emnist-digits');
    expect(() => registerDataset({ ...MNIST, name: '../evil' })).toThrow(expect.objectContaining({ code: DatasetErrorCode.INVALID_ARGUMENT }));
  });

  it('accepts a file when any compressed digest or the payload digest matches', () => {
    const file = FASHION_MNIST.files.trainLabels;
    const wrong = '0'.repeat(64);
    expect(matchDigests(file, { compressedMd5: '25C81989DF183DF01B3E8A0AAD5DFFBE' })).toBe('compressed-md5');
    expect(matchDigests(file, { compressedSha256: '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056' })).toBe('compressed-sha256');
    expect(matchDigests(file, { compressedSha256: wrong, payloadSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' })).toBe('payload-sha256');
    expect(matchDigests(file, { compressedSha256: wrong, compressedMd5: '0'.repeat(32), payloadSha256: wrong })).toBeUndefined();
    expect(matchDigests(file, {})).toBeUndefined();
  });
});
