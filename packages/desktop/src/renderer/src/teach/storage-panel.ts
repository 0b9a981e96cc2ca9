import { describeFailure } from '../../../shared/error-envelope.js';
import { decodeHandwritingFiles, encodeHandwritingFiles } from '../../../shared/handwriting-files.js';
import type { AppState } from '../app-state.js';
import { downloadBytes, pickFiles } from '../bridge/file-picker.js';
import { h } from '../ui/dom.js';
import type { HandwritingSet } from './handwriting-set.js';

/**
 * Keeps the drawings stored through the host bridge: loads them when the app starts, saves the
 * whole set after each change (one save at a time, in order), and says where they are. On the
 * web it also offers the four IDX files as downloads, and takes them back as an upload.
 */
export function createStoragePanel(app: AppState, set: HandwritingSet, say: (message: string) => void): { element: HTMLElement; save(): void } {
  const status = h('div', { class: 'teach-storage', 'data-testid': 'teach-storage', 'data-saved-count': -1 }, 'Loading your drawings…');
  let pending: Promise<unknown> = Promise.resolve();

  function save(): void {
    const splits = set.toSplits();
    const count = splits.train.count + splits.heldOut.count;
    pending = pending
      .then(() => app.bridge.saveHandwriting(splits))
      .then(
        ({ location }) => {
          status.textContent = `${count} drawing${count === 1 ? '' : 's'} saved in ${location}`;
          status.setAttribute('data-saved-count', String(count));
          status.title = app.host === 'electron' ? 'scratchnet-cli train/eval --data-dir reads this folder' : '';
        },
        (error) => {
          status.textContent = `Not saved: ${describeFailure(error)}`;
        },
      );
  }

  void app.bridge.loadHandwriting().then(
    (stored) => {
      // Anything drawn while loading is kept: loaded drawings go first.
      const drawn = set.toSplits();
      set.replace({ train: concat(stored.train, drawn.train), heldOut: concat(stored.heldOut, drawn.heldOut) });
      status.textContent = `${set.size} drawing${set.size === 1 ? '' : 's'} in ${stored.location}`;
      status.setAttribute('data-saved-count', String(stored.train.count + stored.heldOut.count));
      if (drawn.train.count + drawn.heldOut.count > 0) save();
    },
    (error) => {
      status.textContent = `Could not load your drawings: ${describeFailure(error)}`;
    },
  );

  const actions = h('div', { class: 'actions' });
  if (app.host === 'web') {
    const download = h('button', { class: 'ghost', 'data-testid': 'teach-download', title: 'The four IDX files, for scratchnet-cli --data-dir' }, 'Download IDX files');
    download.addEventListener('click', () => {
      for (const file of encodeHandwritingFiles(set.toSplits())) downloadBytes(file.bytes, file.name);
    });
    const upload = h('button', { class: 'ghost', 'data-testid': 'teach-upload', title: 'Replace these drawings with IDX files downloaded before' }, 'Upload IDX files…');
    upload.addEventListener('click', async () => {
      const files = await pickFiles({ multiple: true });
      if (!files) return;
      try {
        const splits = await decodeHandwritingFiles(await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }))));
        set.replace(splits);
        say(`Loaded ${splits.train.count} training and ${splits.heldOut.count} held-out drawings.`);
        save();
      } catch (error) {
        say(`Could not use those files: ${describeFailure(error)}`);
      }
    });
    actions.append(download, upload);
  }
  return { element: h('div', { class: 'teach-storage-panel' }, status, actions), save };
}

function concat(a: { count: number; images: Uint8Array; labels: Uint8Array }, b: { count: number; images: Uint8Array; labels: Uint8Array }) {
  const images = new Uint8Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels);
  labels.set(b.labels, a.count);
  return { count: a.count + b.count, images, labels };
}
