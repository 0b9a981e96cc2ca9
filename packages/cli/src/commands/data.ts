import {
  type DownloadProgress,
  type PartFilesSummary,
  datasetPath,
  downloadDataset,
  importDataset,
  listDatasets,
  resolveCacheDir,
  verifyDataset,
} from '@scratchnet/datasets/node';
import type { Command } from 'commander';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { choiceArgument, choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { parseChoice } from '../options/parse-values.js';
import { canRedraw } from '../output/colour.js';
import { formatTable } from '../output/table.js';
import { knownDatasets, OFFLINE_DIGITS } from '../lib/training-data.js';

const cacheNames = () => knownDatasets().filter((n) => n !== OFFLINE_DIGITS);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** One line about the `.part` files of unfinished downloads in a folder, or undefined when there are none. */
function describeParts(name: string, parts: PartFilesSummary): string | undefined {
  if (parts.count === 0) return undefined;
  const dead = parts.count - parts.live;
  const files = `${parts.count} unfinished download${parts.count === 1 ? '' : 's'} (.part, ${mb(parts.bytes)})`;
  const fate = [
    dead > 0 && `${dead} left by interrupted runs, removed by the next load or \`scratchnet-cli data download ${name}\``,
    parts.live > 0 && `${parts.live} still being written by a running process`,
  ].filter(Boolean);
  return `${name}: ${files}: ${fate.join('; ')}`;
}

/** `scratchnet-cli data list|download|verify|path|import`: the data set cache. */
export function registerDataCommand(program: Command): void {
  const data = program.command('data').description(`the data set cache: list, download, verify, path, import (data sets: ${cacheNames().join(', ')})`);
  withExamples(data, [
    ['scratchnet-cli data list', 'what is cached where'],
    ['scratchnet-cli data download kmnist', 'fetch Kuzushiji-MNIST into the cache, verified'],
    ['scratchnet-cli data import ~/Downloads/fashion --dataset fashion-mnist', 'copy files you downloaded yourself into the cache'],
    ['scratchnet-cli data verify cifar-10', 'check the cached CIFAR-10 archive against its published MD5'],
  ]);

  data
    .command('list')
    .description('what is cached where, with sizes (add --verify for checksum status)')
    .option('--verify', 'hash every cached file against the published digests')
    .option('--json', 'print the list as one JSON object')
    .action(async (flags: { verify?: boolean; json?: boolean }) => {
      const list = await listDatasets();
      if (flags.json) {
        const datasets = [];
        for (const d of list) {
          const present = d.files.filter((f) => f.present).length;
          const report = flags.verify && present > 0 ? await verifyDataset(d.name) : undefined;
          datasets.push({ ...d, ...(flags.verify ? { verified: report ? report.ok : null } : {}) });
        }
        printJson({ cacheDir: resolveCacheDir(), datasets });
        return;
      }
      process.stdout.write(`cache ${resolveCacheDir()}\n`);
      const rows: string[][] = [['data set', 'files', 'size', 'checksums', 'folder']];
      const partLines: string[] = [];
      for (const d of list) {
        const partLine = describeParts(d.name, d.partFiles);
        if (partLine) partLines.push(partLine);
        const present = d.files.filter((f) => f.present).length;
        let checks = flags.verify ? '' : 'not checked';
        if (flags.verify) {
          const report = present > 0 ? await verifyDataset(d.name) : undefined;
          checks = !report ? '–' : report.ok ? 'ok' : `${report.files.filter((f) => f.status === 'corrupt').length} corrupt, ${report.files.filter((f) => f.status === 'missing').length} missing`;
        }
        rows.push([d.name, `${present}/${d.files.length}`, present ? mb(d.totalBytes) : '–', checks, d.dir]);
      }
      rows.push([OFFLINE_DIGITS, 'bundled', '–', '–', '10,000 real MNIST digits shipped as IDX in @scratchnet/datasets']);
      process.stdout.write(`${formatTable(rows)}\n`);
      for (const line of partLines) process.stdout.write(`${line}\n`);
    });

  data
    .command('download')
    .description('download a data set into the cache (verified against published checksums)')
    .addArgument(choiceArgument('[name]', 'data set', cacheNames(), 'mnist'))
    .option('--json', 'print the files and folder as one JSON object')
    .action(async (name: string, flags: { json?: boolean }) => {
      const dataset = parseChoice('data download', name, cacheNames());
      const redraw = canRedraw(process.stderr);
      const result = await downloadDataset(dataset, {
        onNotice: (m) => process.stderr.write(`${m}\n`),
        onProgress: progressPrinter(redraw),
      });
      if (redraw) process.stderr.write('\r\x1b[2K');
      if (flags.json) {
        printJson({ dataset, dir: result.dir, files: result.files });
        return;
      }
      for (const f of result.files) process.stdout.write(`${f.source === 'cache' ? 'cached    ' : 'downloaded'}  ${f.path}  (${f.match})\n`);
      process.stdout.write(`${dataset} is ready in ${result.dir}\n`);
    });

  data
    .command('verify')
    .description('check cached files (or a folder) against the published checksums')
    .addArgument(choiceArgument('[name]', 'data set (default: all cached)', cacheNames()))
    .option('--dir <folder>', 'verify the files in this folder instead of the cache')
    .option('--json', 'print the reports as one JSON object (the exit status still says whether all are ok)')
    .action(async (name: string | undefined, flags: { dir?: string; json?: boolean }) => {
      const names = name ? [parseChoice('data verify', name, cacheNames())] : cacheNames();
      let bad = 0;
      const reports = [];
      for (const n of names) {
        const report = await verifyDataset(n, { dir: flags.dir });
        if (!name && report.files.every((f) => f.status === 'missing') && report.partFiles.count === 0) continue;
        if (!report.ok) bad++;
        if (flags.json) {
          reports.push({ ...report, name: n, files: report.files.map((f) => ({ ...f, error: f.error?.message })) });
          continue;
        }
        process.stdout.write(`${n}  ${report.dir}\n`);
        for (const f of report.files) {
          const detail = f.status === 'ok' ? `ok (${f.match})` : f.status === 'corrupt' ? `CORRUPT: ${f.error?.message}` : 'missing';
          process.stdout.write(`  ${f.fileName.padEnd(28)} ${detail}\n`);
        }
        const partLine = describeParts(n, report.partFiles);
        if (partLine) process.stdout.write(`  ${partLine}\n`);
      }
      if (flags.json) printJson({ ok: bad === 0, datasets: reports });
      if (bad > 0) {
        throw new CliError(
          CliErrorCode.FILE_NOT_FOUND,
          `${bad} data set${bad === 1 ? ' has' : 's have'} missing or corrupt files; fetch them again with \`scratchnet-cli data download <name>\``,
        );
      }
    });

  data
    .command('path')
    .description('print the cache folder of a data set (or the cache root)')
    .addArgument(choiceArgument('[name]', 'data set (default: the cache root)', cacheNames()))
    .option('--json', 'print {"path": …}')
    .action((name: string | undefined, flags: { json?: boolean }) => {
      const path = name ? datasetPath(parseChoice('data path', name, cacheNames())) : resolveCacheDir();
      if (flags.json) {
        printJson({ path });
        return;
      }
      process.stdout.write(`${path}\n`);
    });

  data
    .command('import')
    .description('verify the four IDX files (or the CIFAR-10 archive) in a folder and copy them into the cache')
    .argument('<dir>', 'folder holding the .gz (or unpacked) IDX files, or cifar-10-binary.tar.gz')
    .addOption(choiceOption('--dataset <name>', 'which data set they are', cacheNames()).default('mnist'))
    .option('--json', 'print the imported files as one JSON object')
    .action(async (dir: string, flags: { dataset: string; json?: boolean }) => {
      const dataset = parseChoice('--dataset', flags.dataset, cacheNames());
      const result = await importDataset(dataset, dir);
      if (flags.json) {
        printJson({ dataset, dir: result.dir, files: result.files });
        return;
      }
      for (const f of result.files) process.stdout.write(`imported  ${f.from} → ${f.path}  (${f.match})\n`);
      process.stdout.write(`${dataset} is ready in ${result.dir}\n`);
    });
}

function progressPrinter(redraw: boolean) {
  let last = 0;
  return (p: DownloadProgress) => {
    if (!redraw) return;
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const pct = p.bytesTotal ? ` ${((100 * p.bytesDone) / p.bytesTotal).toFixed(0)}%` : '';
    process.stderr.write(`\r\x1b[2K${p.file} ${mb(p.bytesDone)}${pct}`);
  };
}
