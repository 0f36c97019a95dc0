import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the previous file or the complete new one: the
 * text goes to a hidden temporary file in the same folder, which is flushed to disk (fsync),
 * renamed over the target, and the folder is flushed so the rename survives a crash.
 * `abort()` removes the temporary file and leaves the previous file untouched.
 */
export class AtomicFile {
  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
  ) {}

  static async create(path: string, mode = 0o640): Promise<AtomicFile> {
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    return new AtomicFile(path, temp, await open(temp, 'wx', mode));
  }

  async write(text: string): Promise<void> {
    if (!this.handle) throw new Error('the file is already closed');
    if (text !== '') await this.handle.write(text);
  }

  /** Flushes, then replaces the target in one rename. */
  async commit(): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('the file is already closed');
    this.handle = undefined;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tempPath, this.path);
    await syncFolder(dirname(this.path));
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
