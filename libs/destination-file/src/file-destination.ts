import {
  DestinationError,
  DestinationErrorCode,
  type ConfigProblem,
  type ConnectionTestResult,
  type DestinationConfig,
  type DestinationPlugin,
  type DestinationRef,
  type PluginEnvironment,
  type SegmentExportJob,
  type SegmentExportPlan,
  type SegmentExportReport,
} from '@audience-sync/exporter-contract';
import { constants } from 'node:fs';
import { access, mkdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AtomicFile } from './atomic-file';
import { fileDescription, type FileDestinationConfig } from './description';
import { resolveExportFolder } from './export-folder';
import { segmentFileName } from './file-name';
import { recordFormat } from './record-format';

const BATCH_SIZE = 5000;

/** What the plugin remembers per segment (through `job.saveState`). */
interface FileState {
  /** The file last written for the segment, to remove it when the segment is renamed. */
  path?: string;
}

/**
 * The `file` destination: each chosen segment's members, with the chosen customer fields,
 * written to `<folder>/<segment name>.csv|ndjson` and replaced atomically at each export.
 * Built only on the exporter contract (snapshot style: it reads `job.members()`).
 */
export class FileDestination implements DestinationPlugin {
  readonly description = fileDescription;

  constructor(private readonly env: PluginEnvironment) {}

  validateConfig(config: DestinationConfig): ConfigProblem[] {
    const folder = this.folder(config);
    return folder.ok ? [] : [{ path: 'folder', message: folder.message }];
  }

  /** A file export makes no request to any server. */
  estimateRequests(_plan: SegmentExportPlan): number {
    return 0;
  }

  async testConnection(destination: DestinationRef): Promise<ConnectionTestResult> {
    const folder = this.folder(destination.config);
    if (!folder.ok) return { ok: false, message: `The folder is not allowed: ${folder.message}` };
    let existing = folder.path;
    while (!(await exists(existing)) && dirname(existing) !== existing)
      existing = dirname(existing);
    try {
      await access(existing, constants.W_OK);
    } catch {
      return {
        ok: false,
        message: `The server cannot write to ${existing}: give the Audience Sync process write access to it.`,
        details: { folder: folder.path },
      };
    }
    return {
      ok: true,
      message:
        existing === folder.path
          ? `The folder ${folder.path} exists and is writable.`
          : `The folder ${folder.path} will be created at the first export (${existing} is writable).`,
      details: { folder: folder.path },
    };
  }

  async exportSegment(job: SegmentExportJob): Promise<SegmentExportReport> {
    const config = job.destination.config as unknown as FileDestinationConfig;
    const folder = this.folder(job.destination.config);
    if (!folder.ok) {
      throw new DestinationError(
        DestinationErrorCode.CONFIG,
        `The folder is not allowed: ${folder.message}`,
      );
    }
    const format = recordFormat(config.format, {
      formulaEscaping: config.formulaEscaping !== false,
    });
    const name = `${segmentFileName(job.segment)}.${format.extension}`;
    const path = join(folder.path, name);
    const notes: string[] = [];
    const total = job.counts.members - job.counts.withoutKey;

    let file: AtomicFile | undefined;
    try {
      await mkdir(folder.path, { recursive: true, mode: 0o750 });
      file = await AtomicFile.create(path);
      await file.write(format.header(config.fields));
      let written = 0;
      job.progress(0, total);
      for await (const records of job.members({ fields: config.fields, batchSize: BATCH_SIZE })) {
        if (job.signal.aborted) throw canceled();
        await file.write(format.lines(records, config.fields));
        written += records.length;
        job.progress(written, Math.max(total, written));
      }
      if (job.signal.aborted) throw canceled();
      await file.commit();
      file = undefined;
      notes.push(`Wrote ${written.toLocaleString('en-US')} members to ${path}.`);
    } catch (error) {
      await file?.abort();
      throw toDestinationError(error, folder.path);
    }

    const previous = (job.state as FileState).path;
    if (previous && previous !== path && dirname(previous) === folder.path) {
      await unlink(previous).then(
        () =>
          notes.push(
            `Removed ${basename(previous)}, the segment's previous file (renamed segment or format).`,
          ),
        () => undefined,
      );
    }
    await job.saveState({ path } satisfies FileState);
    return { target: { id: path, name, url: pathToFileURL(path).href }, notes };
  }

  private folder(config: DestinationConfig) {
    return resolveExportFolder(typeof config.folder === 'string' ? config.folder : '', {
      dataDir: this.env.dataDir,
      allowedFolders: this.env.allowedFolders ?? [],
    });
  }
}

function canceled(): DestinationError {
  return new DestinationError(DestinationErrorCode.CANCELED, 'The export was canceled.');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** File system errors in words, with the kind of failure the core needs. */
function toDestinationError(error: unknown, folder: string): DestinationError {
  if (error instanceof DestinationError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (error as Error).message;
  switch (code ?? '') {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new DestinationError(
        DestinationErrorCode.FORBIDDEN,
        `The server may not write to ${folder} (${code}): give the Audience Sync process write access.`,
        false,
        { cause: error },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new DestinationError(
        DestinationErrorCode.TEMPORARY,
        `No space left to write to ${folder}: free some space and run the export again.`,
        true,
        { cause: error },
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new DestinationError(
        DestinationErrorCode.CONFIG,
        `${folder} cannot be used as a folder: ${reason}`,
        false,
        { cause: error },
      );
    default:
      return new DestinationError(
        DestinationErrorCode.PERMANENT,
        `Writing to ${folder} failed: ${reason}`,
        false,
        { cause: error },
      );
  }
}
