import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where a file destination may write, from the plugin environment. */
export interface FolderRoots {
  /** `DATA_DIR/exports`: relative folders resolve under it. */
  dataDir: string;
  /** Absolute folders an administrator allowed (`EXPORT_FOLDERS`). */
  allowedFolders: string[];
}

export type FolderResolution = { ok: true; path: string } | { ok: false; message: string };

/**
 * Resolves a configured folder and refuses anything outside the allowed roots, so the API
 * cannot be used to write over arbitrary server files: a relative folder must stay under
 * `dataDir` (no `..` escape), an absolute one must be inside an allowed folder, and the deepest
 * existing part of the path must not lead elsewhere through a symbolic link.
 */
export function resolveExportFolder(folder: string, roots: FolderRoots): FolderResolution {
  if (folder.includes('\0')) return { ok: false, message: 'must not contain NUL characters' };
  const trimmed = folder.trim();
  if (trimmed === '') return { ok: false, message: 'must not be empty' };
  if (isAbsolute(trimmed)) {
    const path = resolve(trimmed);
    const root = roots.allowedFolders.map((r) => resolve(r)).find((r) => inside(path, r));
    if (!root) {
      const allowed =
        roots.allowedFolders.length > 0
          ? `it must be inside one of: ${roots.allowedFolders.join(', ')}`
          : 'no absolute folder is allowed (the EXPORT_FOLDERS setting is empty)';
      return {
        ok: false,
        message: `absolute folder ${path} is not allowed: ${allowed}; or use a folder relative to DATA_DIR/exports`,
      };
    }
    return checkLinks(path, root);
  }
  const root = resolve(roots.dataDir);
  const path = resolve(root, trimmed);
  if (!inside(path, root)) {
    return { ok: false, message: 'a relative folder must stay inside DATA_DIR/exports (no "..")' };
  }
  return checkLinks(path, root);
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Where the path really leads must still be inside where the root really is: symbolic links in
 * the existing part of either are resolved (the rest does not exist yet, so holds no link).
 */
function checkLinks(path: string, root: string): FolderResolution {
  const real = realOfExisting(path);
  if (!inside(real, realOfExisting(root))) {
    return { ok: false, message: `${path} leads outside ${root} through a symbolic link` };
  }
  return { ok: true, path };
}

/** The real path of the deepest existing ancestor, with the missing rest appended. */
function realOfExisting(path: string): string {
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      missing.push(basename(existing));
      existing = parent;
    }
  }
}
