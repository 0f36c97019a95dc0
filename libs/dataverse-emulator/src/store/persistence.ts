import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Org } from '../dataverse/org';
import type { SavedContacts } from './contact-store';
import type { SavedList } from './list-store';

const FILE = 'state.json';
const FORMAT = 1;

interface SavedState {
  format: number;
  seed: number;
  clock: number;
  deltaTokenFloor: number;
  contacts: SavedContacts;
  lists: SavedList[];
}

export function hasSavedState(dir: string): boolean {
  return existsSync(join(dir, FILE));
}

/** Writes contacts and lists to `dir/state.json` (through a temporary file, then a rename). */
export function saveState(dir: string, org: Org): void {
  const state: SavedState = {
    format: FORMAT,
    seed: org.seed,
    clock: org.clock.current,
    deltaTokenFloor: org.deltaTokenFloor,
    contacts: org.contacts.toJSON(),
    lists: org.lists.toJSON(),
  };
  const path = join(dir, FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(state));
  renameSync(`${path}.tmp`, path);
}

export function loadState(dir: string, org: Org): void {
  const path = join(dir, FILE);
  const state = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
  if (state.format !== FORMAT)
    throw new Error(`${path}: unknown state format ${String(state.format)}`);
  if (state.seed !== org.seed) {
    throw new Error(
      `${path} was written with seed ${state.seed}; start with the same seed or another data folder`,
    );
  }
  org.contacts.restore(state.contacts);
  org.lists.restore(state.lists);
  org.clock.restore(state.clock);
  org.deltaTokenFloor = state.deltaTokenFloor;
}
