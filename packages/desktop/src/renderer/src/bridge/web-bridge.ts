import { decodeModelFile } from '@scratchnet/model-format';
import type { ScratchnetBridge } from '../../../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../../../shared/desktop-error.js';
import { decodeIdxPair } from '../../../shared/idx-pair.js';
import { decodePickedImages } from '../data/picked-images.js';
import { downloadBytes, pickFiles } from './file-picker.js';
import { createBrowserHandwritingStore } from './browser-handwriting-store.js';

/** Largest checkpoint accepted from an upload (matches the desktop limit). */
const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

/**
 * The bridge when the renderer runs as a plain web page: no file system and no downloads from
 * other sites, so data comes from the built-in digits or IDX files the user picks, and
 * checkpoints go out as downloads and come in as uploads.
 */
export function createWebBridge(): ScratchnetBridge {
  const handwriting = createBrowserHandwritingStore();
  return {
    async loadDataset(request) {
      throw new DesktopError(
        DesktopErrorCode.UNSUPPORTED,
        `The web version cannot download ${request.name}; pick its IDX files (images and labels, .gz is fine) or use the offline digits`,
      );
    },
    async pickDatasetFiles() {
      const files = await pickFiles({ multiple: true });
      if (!files) return null;
      return decodeIdxPair(await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }))));
    },
    async pickDatasetFolder() {
      const files = await pickFiles({ directory: true });
      return files ? decodePickedImages(files) : null;
    },
    async openCheckpoint() {
      const files = await pickFiles({ accept: '.safetensors,.onnx,application/octet-stream' });
      if (!files) return null;
      const file = files[0];
      if (file.size > MAX_CHECKPOINT_BYTES) {
        throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${file.name} is larger than ${MAX_CHECKPOINT_BYTES} bytes; pick a scratchnet .safetensors checkpoint or an .onnx model`);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      decodeModelFile(bytes); // same check as the desktop's main process: throws a FormatError naming the problem
      return { name: file.name, bytes };
    },
    async saveCheckpoint(request) {
      downloadBytes(request.bytes, request.suggestedName);
      return { name: request.suggestedName };
    },
    onDatasetProgress() {
      return () => {};
    },
    // The drawings live in IndexedDB; the Teach view offers them as a download of the IDX files.
    loadHandwriting: () => handwriting.load(),
    saveHandwriting: (splits) => handwriting.save(splits),
  };
}
