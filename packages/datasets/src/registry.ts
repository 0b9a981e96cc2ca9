import { DatasetError, DatasetErrorCode } from './errors.js';

/** The four files of an MNIST-style data set. */
export type DatasetFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';
export const DATASET_FILE_ROLES: readonly DatasetFileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/** A published digest of a compressed (.gz) file. A file may have several (upstream, Debian …). */
export interface CompressedDigest {
  sha256?: string;
  md5?: string;
  /** Who publishes it, e.g. 'upstream' or 'debian'. */
  source: string;
}

/** One official file and how to recognise a good copy of it. */
export interface DatasetFileSpec {
  /** Official file name, e.g. 'train-images-idx3-ubyte.gz'; mirrors serve it under this name. */
  fileName: string;
  /** Digests of the compressed bytes; a match on any one accepts the file. */
  compressed: CompressedDigest[];
  /** SHA-256 of the decompressed IDX bytes (header included); accepts re-compressed copies. */
  payloadSha256?: string;
  /** Decompressed size in bytes (IDX header included), when known; gzip inflation stops there. */
  payloadBytes?: number;
  /**
   * Compressed size of the official file, used as the progress total when a server sends none
   * and, plus a margin, as the most a download may send (see downloadCapBytes).
   */
  compressedBytes?: number;
}

/** Most bytes a download may bring when the spec knows neither size (custom data sets). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 1 << 30;

/**
 * The most bytes a copy of `file` can have on the wire or on disk: the known .gz size plus 1/8
 * and 64 KiB (re-compressed copies differ by a few bytes, e.g. Debian's), else — when only the
 * payload size is known — the payload plus deflate's worst-case overhead for stored blocks
 * (5 bytes per 64 KiB; 1/1024 is generous) and 64 KiB for headers. A server sending more is not
 * sending this file.
 */
export function downloadCapBytes(file: DatasetFileSpec): number {
  const margin = 64 * 1024;
  const fromPayload = file.payloadBytes !== undefined ? file.payloadBytes + Math.ceil(file.payloadBytes / 1024) + margin : undefined;
  if (file.compressedBytes !== undefined) {
    const fromCompressed = file.compressedBytes + Math.ceil(file.compressedBytes / 8) + margin;
    return fromPayload === undefined ? fromCompressed : Math.min(fromCompressed, fromPayload);
  }
  return fromPayload ?? DEFAULT_MAX_DOWNLOAD_BYTES;
}

/** Everything needed to find, verify and label one data set. */
export interface DatasetSpec {
  /** Registry key, e.g. 'fashion-mnist'. Also the cache subdirectory. */
  name: string;
  title: string;
  classNames: readonly string[];
  /** Rows × columns of one image. */
  imageShape: readonly [number, number];
  files: Readonly<Record<DatasetFileRole, DatasetFileSpec>>;
  /** Base URLs tried in order; a file is fetched from `${mirror}/${fileName}`. */
  mirrors: readonly string[];
  /** Directory names under system data dirs (e.g. /usr/share/datasets/<name>) that may hold the files. */
  systemDirNames?: readonly string[];
  /** How to get the files when nothing else works, shown in NOT_AVAILABLE errors. */
  howToGet?: string;
}

const mnistDigits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** MNIST handwritten digits (LeCun, Cortes, Burges): 60,000 train + 10,000 test. */
export const MNIST: DatasetSpec = {
  name: 'mnist',
  title: 'MNIST handwritten digits',
  classNames: mnistDigits,
  imageShape: [28, 28],
  files: {
    trainImages: {
      fileName: 'train-images-idx3-ubyte.gz',
      compressed: [{ sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', source: 'upstream' }],
      payloadSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      payloadBytes: 47_040_016,
      compressedBytes: 9_912_422,
    },
    trainLabels: {
      fileName: 'train-labels-idx1-ubyte.gz',
      compressed: [{ sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c', md5: 'd53e105ee54ea40749a09fcbcd1e9432', source: 'upstream' }],
      payloadSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      payloadBytes: 60_008,
      compressedBytes: 28_881,
    },
    testImages: {
      fileName: 't10k-images-idx3-ubyte.gz',
      compressed: [{ sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6', md5: '9fb629c4189551a2d022fa330f9573f3', source: 'upstream' }],
      payloadSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      payloadBytes: 7_840_016,
      compressedBytes: 1_648_877,
    },
    testLabels: {
      fileName: 't10k-labels-idx1-ubyte.gz',
      compressed: [{ sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6', md5: 'ec29112dd5afa0611ce80d1b7f02629c', source: 'upstream' }],
      payloadSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
      payloadBytes: 10_008,
      compressedBytes: 4_542,
    },
  },
  // The original host often answers 403, so it comes last.
  mirrors: [
    'https://ossci-datasets.s3.amazonaws.com/mnist',
    'https://storage.googleapis.com/cvdf-datasets/mnist',
    'http://yann.lecun.com/exdb/mnist',
  ],
  systemDirNames: ['mnist'],
  howToGet: 'download it with network access (`scratchnet-cli data download mnist`), set SCRATCHNET_MIRROR to a mirror holding the four .gz files, or pass --data-dir with a folder that has them',
};

/** Fashion-MNIST (Zalando Research, MIT): 60,000 train + 10,000 test clothing images. */
export const FASHION_MNIST: DatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST (Zalando Research)',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  imageShape: [28, 28],
  files: {
    trainImages: {
      fileName: 'train-images-idx3-ubyte.gz',
      compressed: [
        { md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', source: 'upstream' },
        { sha256: 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7', source: 'debian' },
      ],
      payloadSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      payloadBytes: 47_040_016,
      compressedBytes: 26_421_856,
    },
    trainLabels: {
      fileName: 'train-labels-idx1-ubyte.gz',
      compressed: [
        { md5: '25c81989df183df01b3e8a0aad5dffbe', source: 'upstream' },
        { sha256: '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056', source: 'debian' },
      ],
      payloadSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      payloadBytes: 60_008,
      compressedBytes: 29_491,
    },
    testImages: {
      fileName: 't10k-images-idx3-ubyte.gz',
      compressed: [
        { md5: 'bef4ecab320f06d8554ea6380940ec79', source: 'upstream' },
        { sha256: 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa', source: 'debian' },
      ],
      payloadSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      payloadBytes: 7_840_016,
      compressedBytes: 4_422_079,
    },
    testLabels: {
      fileName: 't10k-labels-idx1-ubyte.gz',
      compressed: [
        { md5: 'bb300cfdad3c16e7a12a480ee83cd310', source: 'upstream' },
        { sha256: '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05', source: 'debian' },
      ],
      payloadSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
      payloadBytes: 10_008,
      compressedBytes: 5_125,
    },
  },
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com',
    'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion',
  ],
  systemDirNames: ['fashion-mnist'],
  howToGet: 'download it with network access (`scratchnet-cli data download fashion-mnist`), install Debian\'s dataset-fashion-mnist package (files in /usr/share/datasets/fashion-mnist/), set SCRATCHNET_MIRROR, or pass --data-dir with a folder holding the four .gz files',
};

/**
 * Kuzushiji-MNIST (ROIS-DS CODH, CC BY-SA 4.0): cursive Japanese characters in MNIST's format.
 * Only the upstream .gz MD5s are published (as torchvision lists them), so a re-compressed copy
 * does not verify until a payload digest is added here. The .gz sizes are not known here either,
 * so downloads are capped by the payload size plus gzip's worst-case overhead (downloadCapBytes),
 * 47 MB for train-images: generous, but bounded.
 */
export const KMNIST: DatasetSpec = {
  name: 'kmnist',
  title: 'Kuzushiji-MNIST (ROIS-DS CODH)',
  classNames: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
  imageShape: [28, 28],
  files: {
    trainImages: { fileName: 'train-images-idx3-ubyte.gz', compressed: [{ md5: 'bdb82020997e1d708af4cf47b453dcf7', source: 'upstream' }], payloadBytes: 47_040_016 },
    trainLabels: { fileName: 'train-labels-idx1-ubyte.gz', compressed: [{ md5: 'e144d726b3acfaa3e44228e80efcd344', source: 'upstream' }], payloadBytes: 60_008 },
    testImages: { fileName: 't10k-images-idx3-ubyte.gz', compressed: [{ md5: '5c965bf0a639b31b8f53240b1b52f4d7', source: 'upstream' }], payloadBytes: 7_840_016 },
    testLabels: { fileName: 't10k-labels-idx1-ubyte.gz', compressed: [{ md5: '7320c461ea6c1c855c0b718fb2a4b134', source: 'upstream' }], payloadBytes: 10_008 },
  },
  mirrors: ['http://codh.rois.ac.jp/kmnist/dataset/kmnist'],
  systemDirNames: ['kmnist'],
  howToGet: 'download it with network access (`scratchnet-cli data download kmnist`), set SCRATCHNET_MIRROR, or pass --data-dir with a folder holding the four .gz files',
};

const registry = new Map<string, DatasetSpec>([
  [MNIST.name, MNIST],
  [FASHION_MNIST.name, FASHION_MNIST],
  [KMNIST.name, KMNIST],
]);

/**
 * Adds a data set (e.g. KMNIST) so loadDataset and the cache tools know it by name. Replaces an
 * existing entry with the same name.
 */
export function registerDataset(spec: DatasetSpec): void {
  assertDatasetName(spec.name);
  registry.set(spec.name, spec);
}

/** Names become cache folder names, so they may not contain path separators or start with a dot. */
export function assertDatasetName(name: string): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    throw new DatasetError(
      DatasetErrorCode.INVALID_ARGUMENT,
      `data set name "${name}" must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (it names a cache folder)`,
    );
  }
}

/** Names of all registered data sets, in registration order. */
export function datasetNames(): string[] {
  return [...registry.keys()];
}

/** The spec for a name; throws UNKNOWN_DATASET listing the valid names. */
export function getDatasetSpec(name: string): DatasetSpec {
  const spec = registry.get(name);
  if (!spec) {
    throw new DatasetError(DatasetErrorCode.UNKNOWN_DATASET, `unknown data set "${name}"; known: ${datasetNames().join(', ')}`);
  }
  return spec;
}

/** Digests computed for one copy of a file; any may be missing if not computed. */
export interface ComputedDigests {
  compressedSha256?: string;
  compressedMd5?: string;
  payloadSha256?: string;
}

/** Which published digest a file matched. */
export type DigestMatch = 'compressed-sha256' | 'compressed-md5' | 'payload-sha256';

/**
 * The verification rule: a file is good when its compressed bytes match any published .gz
 * digest, or its decompressed IDX bytes match the payload SHA-256 (so re-compressed copies
 * such as Debian's verify too). Returns what matched, or undefined.
 */
export function matchDigests(file: DatasetFileSpec, computed: ComputedDigests): DigestMatch | undefined {
  for (const d of file.compressed) {
    if (d.sha256 && computed.compressedSha256 && d.sha256 === computed.compressedSha256.toLowerCase()) return 'compressed-sha256';
    if (d.md5 && computed.compressedMd5 && d.md5 === computed.compressedMd5.toLowerCase()) return 'compressed-md5';
  }
  if (file.payloadSha256 && computed.payloadSha256 && file.payloadSha256 === computed.payloadSha256.toLowerCase()) {
    return 'payload-sha256';
  }
  return undefined;
}
