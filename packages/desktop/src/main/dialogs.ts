import { type BrowserWindow, dialog } from 'electron';
import type { DialogService } from './host-services.js';

const CHECKPOINT_FILTERS = [
  { name: 'scratchnet checkpoint or ONNX model', extensions: ['safetensors', 'onnx'] },
  { name: 'All files', extensions: ['*'] },
];
const ONNX_FILTERS = [
  { name: 'ONNX model', extensions: ['onnx'] },
  { name: 'All files', extensions: ['*'] },
];

/** Native open/save dialogs attached to the app window. */
export function createElectronDialogs(window: () => BrowserWindow | null): DialogService {
  return {
    async chooseCheckpointToOpen() {
      const result = await showOpen({ title: 'Open checkpoint', properties: ['openFile'], filters: CHECKPOINT_FILTERS });
      return result?.[0] ?? null;
    },
    async chooseCheckpointSavePath(suggestedName) {
      const onnx = suggestedName.toLowerCase().endsWith('.onnx');
      const options = { title: onnx ? 'Export ONNX model' : 'Save checkpoint', defaultPath: suggestedName, filters: onnx ? ONNX_FILTERS : CHECKPOINT_FILTERS };
      const owner = window();
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseDatasetFiles() {
      return showOpen({
        title: 'Pick an IDX images file and its labels file',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'IDX files', extensions: ['gz', 'idx', 'idx3-ubyte', 'idx1-ubyte', '*'] }],
      });
    },
    async chooseDatasetFolder() {
      // A folder (class folders of images) or a .csv: macOS shows both in one dialog; elsewhere a folder dialog, so a CSV is picked from its folder.
      const result = await showOpen({
        title: 'Pick a folder of class folders of images, or a CSV file',
        properties: process.platform === 'darwin' ? ['openDirectory', 'openFile'] : ['openDirectory'],
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      });
      return result?.[0] ?? null;
    },
  };

  async function showOpen(options: Electron.OpenDialogOptions): Promise<string[] | null> {
    const owner = window();
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
  }
}
