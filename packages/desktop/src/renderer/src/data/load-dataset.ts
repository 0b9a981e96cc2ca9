import type { ScratchnetBridge } from '../../../shared/bridge-api.js';
import { classNamesFor, DATASET_CHOICES, type DatasetChoice, type LoadedDataset, splitValidation } from './dataset-catalog.js';
import { loadOfflineDigits } from './offline-digits.js';

/**
 * Loads a data set the user chose: the built-in digits, a named set through the host (download
 * and cache in Electron), or IDX files the user picks (10% kept back as the test split).
 * Returns null when the user cancels a file dialog.
 */
export async function loadDatasetChoice(choice: DatasetChoice, bridge: ScratchnetBridge): Promise<LoadedDataset | null> {
  const label = DATASET_CHOICES.find((c) => c.value === choice)?.label.replace(/ \(.*$/, '') ?? choice;
  const classNames = classNamesFor(choice);
  if (choice === 'offline-digits') {
    const { train, test } = await loadOfflineDigits();
    return { choice, label, classNames, train, test };
  }
  if (choice === 'files') {
    const picked = await bridge.pickDatasetFiles();
    if (!picked) return null;
    const { train, validation } = splitValidation(picked, 0.1);
    return { choice, label: picked.source, classNames, train, test: { ...validation, source: `${picked.source} (test)` } };
  }
  const [train, test] = await Promise.all([bridge.loadDataset({ name: choice, split: 'train' }), bridge.loadDataset({ name: choice, split: 'test' })]);
  return { choice, label, classNames, train, test };
}
