/** Opens the browser's file picker; resolves with the chosen files, or null when cancelled. */
export function pickFiles(options: { accept?: string; multiple?: boolean; directory?: boolean } = {}): Promise<File[] | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.hidden = true;
    if (options.accept) input.accept = options.accept;
    input.multiple = options.multiple ?? false;
    // A whole folder, each file with its webkitRelativePath (class folders of images).
    if (options.directory) input.webkitdirectory = true;
    input.dataset.testid = 'file-picker';
    const finish = (files: File[] | null) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => finish(input.files && input.files.length > 0 ? [...input.files] : null));
    input.addEventListener('cancel', () => finish(null));
    document.body.appendChild(input);
    input.click();
  });
}

/** Offers bytes as a file download. */
export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
