import type { ScratchnetBridge } from '../../../shared/bridge-api.js';
import { classNamesFor, DATASET_CHOICES, type DatasetChoice, type LoadedDataset, splitTest } from './dataset-catalog.js';
import { DEFAULT_TEST_SPLIT } from '@scratchnet/datasets';
import { loadOfflineDigits } from './offline-digits.js';

/**
 * Loads a data set the user chose: the built-in digits, a named set through the host (download
 * and cache in Electron), or IDX files the user picks (a test split held back as the CLI does for
 * data without one: DEFAULT_TEST_SPLIT, fixed seed).
 * A picked folder of class folders of images (or a CSV, in Electron) brings its own class names.
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
    const { train, test } = splitTest(picked, DEFAULT_TEST_SPLIT);
    return { choice, label: picked.source, classNames, train, test };
  }
  if (choice === 'folder') {
    const picked = await bridge.pickDatasetFolder();
    if (!picked) return null;
    return { choice, label: picked.label, classNames: picked.classNames, train: picked.train, test: picked.test };
  }
  const [train, test] = await Promise.all([bridge.loadDataset({ name: choice, split: 'train' }), bridge.loadDataset({ name: choice, split: 'test' })]);
  return { choice, label, classNames, train, test };
}
