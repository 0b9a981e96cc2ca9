/**
 * The one place that turns any thrown error into what the user sees and the exit status:
 * 2 for a bad flag or value, 1 for a file, model or data problem, 128 + the signal number for a
 * run stopped by a signal (SIGHUP 129, SIGINT 130, SIGTERM 143).
 * Errors from the libraries are recognised by class name and `code`, so the CLI needs no
 * knowledge of their internals.
 */
export interface ErrorReport {
  exitCode: number;
  /** First line: what is wrong. */
  message: string;
  /** Optional second line: what to do about it. */
  hint?: string;
}

/** Exit status of a run that a signal stopped after saving: the shell's convention, 128 + signal number. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

const TRAIN_HINT = 'train one with `scratchnet-cli train --out <file>`';
const DATA_HINT = 'pass --data-dir <folder with the IDX files>, or copy them into the cache with `scratchnet-cli data import <folder>`';

/** Per error class: code → [exit code, hint]. `*` is the class's default. */
const TABLE: Record<string, Record<string, [number, string?]>> = {
  CliError: {
    BAD_FLAG: [2],
    BAD_CONFIG_FILE: [2, 'fix the JSON file or drop --config'],
    MODEL_NOT_FOUND: [1, `check the path, or ${TRAIN_HINT}`],
    MODEL_CORRUPT: [1, `the file is damaged or not a scratchnet checkpoint; ${TRAIN_HINT}`],
    FILE_NOT_FOUND: [1, 'check the path'],
    NOT_A_FILE: [1, 'give the path of a regular file'],
    FILE_TOO_LARGE: [1, 'check that this is the right file'],
    OUT_NOT_WRITABLE: [1, 'choose another --out, or create its folder first'],
    OUT_LOCKED: [1, 'wait for the other run to finish, or choose another --out'],
    BAD_RESUME_SETTINGS: [1, 'this checkpoint cannot be resumed by scratchnet-cli; start a new run with `scratchnet-cli train`'],
    BAD_IMAGE: [1, 'give a PNG file of at most 8192 pixels a side (greyscale or colour); scale larger pictures down first'],
    UNSUPPORTED_MODEL: [1, 'classify its test-set images with `--index <n>`, or evaluate it with `scratchnet-cli eval`'],
    INTERRUPTED: [SIGNAL_EXIT_CODES.SIGINT],
    '*': [1],
  },
  ConfigError: { '*': [2] },
  FormatError: {
    IO_ERROR: [1, `check the path, or ${TRAIN_HINT}`],
    UNSUPPORTED_VERSION: [1, 'this checkpoint was written by a newer scratchnet; upgrade scratchnet-cli or retrain'],
    INVALID_INPUT: [1],
    NOT_A_REGULAR_FILE: [1, 'give the path of a regular checkpoint file (not a FIFO, device or folder)'],
    DUPLICATE_KEY: [1, 'the file was edited by hand or crafted: a key appears twice, so it is refused; restore a good copy'],
    CLASS_COUNT_MISMATCH: [1, 'the class names do not match the model\'s outputs: the file was edited or crafted; restore a good copy'],
    LIMIT_EXCEEDED: [1, 'the file holds far more than any scratchnet checkpoint (history, nesting or size): it is damaged or crafted'],
    '*': [1, `the file is damaged or not a scratchnet checkpoint; restore a good copy or ${TRAIN_HINT}`],
  },
  DatasetError: {
    UNKNOWN_DATASET: [2, 'list the known data sets with `scratchnet-cli data list`'],
    INVALID_ARGUMENT: [2],
    NOT_AVAILABLE: [1, DATA_HINT],
    DOWNLOAD_FAILED: [1, DATA_HINT],
    TIMEOUT: [1, DATA_HINT],
    CHECKSUM_MISMATCH: [1, 'the file is damaged or not the official one; if it is in the cache, `scratchnet-cli data download <name>` fetches it again'],
    NOT_A_FILE: [1, 'give the path of a regular file or folder of IDX files (not a FIFO or device)'],
    DOWNLOAD_TOO_LARGE: [1, `the server sent more than the official file's size, so it is not the official file; try another mirror (SCRATCHNET_MIRROR) or ${DATA_HINT}`],
    INFLATE_TOO_LARGE: [1, 'the file unpacks to more than the official data set: it is damaged or not the official file; fetch it again with `scratchnet-cli data download <name>`'],
    CACHE_ERROR: [1, 'check that SCRATCHNET_CACHE_DIR (or the default cache folder) is writable'],
    ABORTED: [SIGNAL_EXIT_CODES.SIGINT],
    '*': [1, 'the data files are damaged; verify them with `scratchnet-cli data verify`'],
  },
  TrainingError: {
    NON_FINITE_LOSS: [1, 'the loss diverged; lower --lr (e.g. by 10×) or add --schedule cosine'],
    ABORTED: [SIGNAL_EXIT_CODES.SIGINT],
    '*': [1],
  },
  ShapeError: { '*': [1, 'the model and the data do not fit together (input size or class count)'] },
};

export function describeError(error: unknown): ErrorReport {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const table = TABLE[error.name];
    if (table && typeof code === 'string') {
      const [exitCode, hint] = table[code] ?? table['*'] ?? [1];
      return { exitCode, message: error.message, hint };
    }
    if (table) {
      const [exitCode, hint] = table['*'] ?? [1];
      return { exitCode, message: error.message, hint };
    }
    if (error.name === 'ScratchnetError') return { exitCode: 1, message: error.message };
    const sys = (error as NodeJS.ErrnoException).code;
    if (sys === 'ENOENT' || sys === 'EACCES' || sys === 'EISDIR' || sys === 'ENOSPC') {
      return { exitCode: 1, message: error.message };
    }
    return { exitCode: 1, message: `internal error: ${error.message}`, hint: 'run again with --debug for the stack trace, and report it' };
  }
  return { exitCode: 1, message: `internal error: ${String(error)}` };
}
