import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN_TOKEN_FILE } from '@platform/auth/admin-token.service';
import type { AppConfig } from '@platform/config/app-config';
import { SQLITE_FILE } from '@platform/database/data-source-options';

/** Files in DATA_DIR holding customer data or credentials (secret.key warns on its own). */
const PRIVATE_FILES = [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, ADMIN_TOKEN_FILE];

/**
 * Makes DATA_DIR private before anything is written to it: the folder is created 0700, and the
 * SQLite database 0600 before SQLite opens it (SQLite gives the database's mode to its -wal and
 * -shm files; the token and key files are written 0600). Explicit modes rather than a process
 * umask, which would also narrow what file destinations write for other programs (0640).
 * A folder or file that exists already is left as it is, with a warning when users other than
 * its owner may use it: the warnings are returned, to be logged once the logger is set up.
 */
export function prepareDataDir(config: Pick<AppConfig, 'DATA_DIR' | 'DATABASE_URL'>): string[] {
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!config.DATABASE_URL) createPrivately(join(dir, SQLITE_FILE));
  if (process.platform === 'win32') return []; // no Unix modes to check
  const warnings = [looseness(dir, 'The data folder', 0o700)];
  for (const file of PRIVATE_FILES.map((name) => join(dir, name))) {
    if (existsSync(file)) warnings.push(looseness(file, 'The data file', 0o600));
  }
  return warnings.filter((w) => w !== '');
}

function createPrivately(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** A warning when others than the owner have any access; '' when none. */
function looseness(path: string, what: string, wanted: number): string {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return '';
  return `${what} ${path} has mode ${octal(mode)}: other users of this machine may read the customer data and credentials in it. Run: chmod ${octal(wanted)} ${shellQuoted(path)}`;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function shellQuoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
