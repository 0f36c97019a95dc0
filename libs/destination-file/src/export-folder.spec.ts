import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExportFolder } from './export-folder';

describe('resolveExportFolder', () => {
  let root: string;
  let exportsDir: string;
  let allowed: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'as-folders-'));
    exportsDir = join(root, 'data', 'exports');
    allowed = join(root, 'shared');
    mkdirSync(exportsDir, { recursive: true });
    mkdirSync(allowed);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const roots = () => ({ dataDir: exportsDir, allowedFolders: [allowed] });

  it('resolves relative folders under DATA_DIR/exports', () => {
    expect(resolveExportFolder('segments', roots())).toEqual({
      ok: true,
      path: join(exportsDir, 'segments'),
    });
    expect(resolveExportFolder('a/b/../c', roots())).toEqual({
      ok: true,
      path: join(exportsDir, 'a', 'c'),
    });
    expect(resolveExportFolder('.', roots())).toEqual({ ok: true, path: exportsDir });
  });

  it('refuses relative folders that climb out', () => {
    for (const folder of ['..', '../x', 'a/../../x', '../exports-other']) {
      expect(resolveExportFolder(folder, roots())).toEqual({
        ok: false,
        message: 'a relative folder must stay inside DATA_DIR/exports (no "..")',
      });
    }
  });

  it('accepts absolute folders only inside EXPORT_FOLDERS', () => {
    expect(resolveExportFolder(join(allowed, 'crm'), roots())).toEqual({
      ok: true,
      path: join(allowed, 'crm'),
    });
    expect(resolveExportFolder(allowed, roots())).toEqual({ ok: true, path: allowed });
    const outside = resolveExportFolder('/etc', roots());
    expect(outside.ok).toBe(false);
    expect(!outside.ok && outside.message).toMatch(
      /absolute folder \/etc is not allowed: it must be inside one of: /,
    );
    // A sibling whose name starts like the allowed folder is not inside it.
    expect(resolveExportFolder(`${allowed}-evil`, roots()).ok).toBe(false);
    expect(resolveExportFolder(join(allowed, '..', 'x'), roots()).ok).toBe(false);
    const none = resolveExportFolder('/srv/x', { dataDir: exportsDir, allowedFolders: [] });
    expect(!none.ok && none.message).toMatch(
      /no absolute folder is allowed \(the EXPORT_FOLDERS setting is empty\)/,
    );
  });

  it('refuses a path that leads elsewhere through a symbolic link', () => {
    symlinkSync(join(root, 'data'), join(exportsDir, 'escape'));
    const through = resolveExportFolder('escape/deeper', roots());
    expect(through.ok).toBe(false);
    expect(!through.ok && through.message).toMatch(/leads outside .* through a symbolic link/);
    symlinkSync(join(exportsDir), join(exportsDir, 'inside'));
    expect(resolveExportFolder('inside/x', roots()).ok).toBe(true);
  });

  it('refuses empty names and NUL characters', () => {
    expect(resolveExportFolder('  ', roots())).toEqual({ ok: false, message: 'must not be empty' });
    expect(resolveExportFolder('a\0b', roots())).toEqual({
      ok: false,
      message: 'must not contain NUL characters',
    });
  });
});
