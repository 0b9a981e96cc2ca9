/**
 * The one table of error codes both front ends read: for every `namespace/CODE` any scratchnet
 * package throws, the exit status a command-line run ends with and a hint saying what to do.
 *
 * It lives in core because core is the one package the CLI and the desktop renderer both import
 * and it has no Node types, so the renderer can show the same codes without pulling in `fs`.
 * Codes are declared by each package's own table (ErrorCode here, DatasetErrorCode,
 * FormatErrorCode, CliErrorCode, DesktopErrorCode); a test checks that each has an entry here.
 * Errors are matched by `namespace` and `code`, never by class name.
 */
export interface ErrorEntry {
  /** 2 for a bad flag or value, 1 for a file, model or data problem, 130 for an interrupted run. */
  exitCode: number;
  /** What to do about it, in the words of the command line. */
  hint?: string;
}

/** Exit statuses by meaning (clig.dev; 128 + signal number for a run a signal stopped). */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, INTERRUPTED: 130 } as const;

const TRAIN_HINT = 'train one with `scratchnet-cli train --out <file>`';
const DATA_HINT = "pass --data-dir <folder with the dataset's files (its IDX files, or CIFAR-10's archive)>, or copy them into the cache with `scratchnet-cli data import <folder>`";
const DAMAGED_CHECKPOINT = `the file is damaged or not a scratchnet checkpoint; restore a good copy or ${TRAIN_HINT}`;
const DAMAGED_DATA = 'the data files are damaged; verify them with `scratchnet-cli data verify`';

const usage = (hint?: string): ErrorEntry => ({ exitCode: EXIT.USAGE, hint });
const failure = (hint?: string): ErrorEntry => ({ exitCode: EXIT.FAILURE, hint });
const interrupted: ErrorEntry = { exitCode: EXIT.INTERRUPTED };

export const ERROR_TABLE: Readonly<Record<string, ErrorEntry>> = Object.freeze({
  // core (ErrorCode)
  'core/SHAPE_MISMATCH': failure('the model and the data do not fit together (input size or class count)'),
  'core/INVALID_ARGUMENT': usage(),
  'core/INVALID_ARCHITECTURE': usage('give layer sizes like 784-128-10, a layer-by-layer architecture, or a --preset'),
  'core/UNKNOWN_ACTIVATION': usage('see the activation names in `scratchnet-cli train --help`'),
  'core/NON_FINITE_LOSS': failure('the loss diverged; lower --lr (e.g. by 10×) or add --schedule cosine'),
  'core/INVALID_STATE': usage(),
  'core/BACKEND_UNAVAILABLE': failure('set SCRATCHNET_BACKEND=js to use the plain JavaScript kernels'),
  'core/ABORTED': interrupted,

  // datasets (DatasetErrorCode)
  'dataset/BAD_MAGIC': failure(DAMAGED_DATA),
  'dataset/UNKNOWN_TYPE': failure(DAMAGED_DATA),
  'dataset/TRUNCATED': failure(DAMAGED_DATA),
  'dataset/LENGTH_MISMATCH': failure(DAMAGED_DATA),
  'dataset/TOO_LARGE': failure(DAMAGED_DATA),
  'dataset/INFLATE_TOO_LARGE': failure('the file unpacks to more than the official data set: it is damaged or not the official file; fetch it again with `scratchnet-cli data download <name>`'),
  'dataset/DOWNLOAD_TOO_LARGE': failure(`the server sent more than the official file's size, so it is not the official file; try another mirror (SCRATCHNET_MIRROR) or ${DATA_HINT}`),
  'dataset/NOT_A_FILE': failure('give the path of a regular file or folder of IDX files (not a FIFO or device)'),
  'dataset/BAD_GZIP': failure(DAMAGED_DATA),
  'dataset/NO_DECOMPRESSOR': failure('unpack the .gz files (gunzip) and point --data-dir at them'),
  'dataset/CHECKSUM_MISMATCH': failure('the file is damaged or not the official one; if it is in the cache, `scratchnet-cli data download <name>` fetches it again'),
  'dataset/DOWNLOAD_FAILED': failure(DATA_HINT),
  'dataset/TIMEOUT': failure(`raise SCRATCHNET_DOWNLOAD_TIMEOUT_MS / SCRATCHNET_DOWNLOAD_DEADLINE_MS on a slow line, or ${DATA_HINT}`),
  'dataset/UNKNOWN_DATASET': usage('list the known data sets with `scratchnet-cli data list`'),
  'dataset/NOT_AVAILABLE': failure(DATA_HINT),
  'dataset/INCONSISTENT': failure(DAMAGED_DATA),
  'dataset/NOT_ENOUGH_DATA': failure('give a folder with one subfolder of images per class (at least two classes), or a CSV with rows'),
  'dataset/BAD_CSV': failure('fix the line named, or give a CSV with a label column followed by one column per pixel'),
  'dataset/INVALID_ARGUMENT': usage(),
  'dataset/ABORTED': interrupted,
  'dataset/CACHE_ERROR': failure('check that SCRATCHNET_CACHE_DIR (or the default cache folder) is writable'),

  // model-format (FormatErrorCode)
  'format/FILE_TOO_LARGE': failure(DAMAGED_CHECKPOINT),
  'format/TRUNCATED': failure(DAMAGED_CHECKPOINT),
  'format/HEADER_TOO_LARGE': failure(DAMAGED_CHECKPOINT),
  'format/BAD_MAGIC': failure(DAMAGED_CHECKPOINT),
  'format/BAD_HEADER': failure(DAMAGED_CHECKPOINT),
  'format/UNSUPPORTED_DTYPE': failure(DAMAGED_CHECKPOINT),
  'format/BAD_OFFSETS': failure(DAMAGED_CHECKPOINT),
  'format/UNSUPPORTED_VERSION': failure('this checkpoint was written by a newer scratchnet; upgrade scratchnet-cli or retrain'),
  'format/BAD_METADATA': failure(DAMAGED_CHECKPOINT),
  'format/CHECKSUM_MISMATCH': failure(DAMAGED_CHECKPOINT),
  'format/TENSOR_MISMATCH': failure(DAMAGED_CHECKPOINT),
  'format/INVALID_INPUT': failure(),
  'format/IO_ERROR': failure(`check the path, or ${TRAIN_HINT}`),
  'format/NOT_A_REGULAR_FILE': failure('give the path of a regular checkpoint file (not a FIFO, device or folder)'),
  'format/DUPLICATE_KEY': failure('the file was edited by hand or crafted: a key appears twice, so it is refused; restore a good copy'),
  'format/CLASS_COUNT_MISMATCH': failure("the class names do not match the model's outputs: the file was edited or crafted; restore a good copy"),
  'format/BAD_ONNX': failure('the file is not an ONNX model scratchnet can read (damaged, or not ONNX); export it again'),
  'format/UNSUPPORTED_OP': failure('scratchnet imports chains of Gemm/MatMul+Add, Conv, pooling, BatchNormalization, Flatten and activations, as torch.onnx.export writes them for an nn.Sequential'),
  'format/LIMIT_EXCEEDED': failure('the file holds far more than any scratchnet checkpoint (history, nesting or size): it is damaged or crafted'),

  // cli (CliErrorCode)
  'cli/BAD_FLAG': usage(),
  'cli/BAD_CONFIG_FILE': usage('fix the JSON file or drop --config'),
  'cli/MODEL_NOT_FOUND': failure(`check the path, or ${TRAIN_HINT}`),
  'cli/MODEL_CORRUPT': failure(`the file is damaged or not a scratchnet checkpoint; ${TRAIN_HINT}`),
  'cli/FILE_NOT_FOUND': failure('check the path'),
  'cli/NOT_A_FILE': failure('give the path of a regular file'),
  'cli/FILE_TOO_LARGE': failure('check that this is the right file'),
  'cli/BAD_IMAGE': failure('give a PNG (at most 8192 pixels a side) or JPEG (at most 2048 × 2048 pixels), greyscale or colour; scale larger pictures down first'),
  'cli/UNSUPPORTED_MODEL': failure('classify its test-set images with `--index <n>`, or evaluate it with `scratchnet-cli eval`'),
  'cli/OUT_NOT_WRITABLE': failure('choose another --out, or create its folder first'),
  'cli/OUT_LOCKED': failure('wait for the other run to finish, or choose another --out'),
  'cli/BAD_RESUME_SETTINGS': failure('this checkpoint cannot be resumed by scratchnet-cli; start a new run with `scratchnet-cli train`'),
  'cli/INTERRUPTED': interrupted,
  'cli/BAD_QUEUE_URL': usage('give --queue as redis://[:password@]host:port/db, e.g. redis://127.0.0.1:6379/0 (or the password in SCRATCHNET_REDIS_PASSWORD)'),
  'cli/QUEUE_UNREACHABLE': failure('start Redis there (`redis-server --port <port>`), or check the host and port in --queue'),

  // desktop (DesktopErrorCode): the app shows the code and hint; exit codes matter only to scripts.
  'desktop/INVALID_REQUEST': failure(),
  'desktop/UNTRUSTED_SENDER': failure(),
  'desktop/FILE_ACCESS': failure('check that the file exists and can be read'),
  'desktop/INVALID_FILE': failure('choose a scratchnet checkpoint (.safetensors) or a folder of IDX files'),
  'desktop/VALIDATION_TIMEOUT': failure('the file took too long to check: it is too large or damaged'),
  'desktop/VALIDATION_OUT_OF_MEMORY': failure('the file needed too much memory to check: it is too large or damaged'),
  'desktop/UNSUPPORTED': failure(),
  'desktop/DATASET_UNAVAILABLE': failure('download the data set with `scratchnet-cli data download <name>`, or open a folder of IDX files'),
  'desktop/INTERNAL': failure(),
});

/** `namespace/CODE` of an error from any scratchnet package, or undefined for anything else. */
export function qualifiedErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, namespace } = error as { code?: unknown; namespace?: unknown };
  if (typeof code !== 'string' || typeof namespace !== 'string') return undefined;
  return `${namespace}/${code}`;
}

/** The table's entry for an error (matched by namespace and code), or undefined. */
export function errorEntry(error: unknown): (ErrorEntry & { code: string }) | undefined {
  const code = qualifiedErrorCode(error);
  const entry = code === undefined ? undefined : ERROR_TABLE[code];
  return entry && code ? { code, ...entry } : undefined;
}
