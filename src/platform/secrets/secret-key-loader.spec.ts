import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, keyId } from './secret-box';
import { SecretKeyError } from './secret-errors';
import { SECRET_KEY_FILE, decodeKey, loadSecretKeys } from './secret-key-loader';

describe('loadSecretKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'as-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates the key file with mode 0600 on first use and reuses it afterwards', () => {
    const first = loadSecretKeys({ DATA_DIR: dir });
    const file = join(dir, SECRET_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.source).toBe(file);
    expect(decodeKey(readFileSync(file, 'utf8'))).toHaveLength(32);
    const second = loadSecretKeys({ DATA_DIR: dir });
    expect(second.current.id).toBe(first.current.id);
    expect(second.warnings).toEqual([]);
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    expect(loadSecretKeys({ DATA_DIR: nested }).current.key).toHaveLength(32);
  });

  it('uses SECRET_KEY given as hex or base64', () => {
    const raw = randomBytes(32);
    const hex = loadSecretKeys({ DATA_DIR: dir, SECRET_KEY: raw.toString('hex') });
    const b64 = loadSecretKeys({ DATA_DIR: dir, SECRET_KEY: raw.toString('base64') });
    expect(hex.current.id).toBe(keyId(raw));
    expect(b64.current.id).toBe(keyId(raw));
    expect(hex.source).toBe('SECRET_KEY');
  });

  it('keeps an existing key file as an older key when SECRET_KEY takes over', () => {
    const embedded = loadSecretKeys({ DATA_DIR: dir });
    const sealed = new SecretBox(embedded.current).seal('abc', 'c');
    const keys = loadSecretKeys({ DATA_DIR: dir, SECRET_KEY: randomBytes(32).toString('hex') });
    expect(keys.older.map((k) => k.id)).toEqual([embedded.current.id]);
    expect(new SecretBox(keys.current, keys.older).open(sealed, 'c')).toBe('abc');
  });

  it('says which file is broken when the key file holds no key', () => {
    writeFileSync(join(dir, SECRET_KEY_FILE), 'not a key\n', { mode: 0o600 });
    expect(() => loadSecretKeys({ DATA_DIR: dir })).toThrow(SecretKeyError);
    expect(() => loadSecretKeys({ DATA_DIR: dir })).toThrow(join(dir, SECRET_KEY_FILE));
  });

  it('warns when the key file is readable by others', () => {
    loadSecretKeys({ DATA_DIR: dir });
    chmodSync(join(dir, SECRET_KEY_FILE), 0o644);
    expect(loadSecretKeys({ DATA_DIR: dir }).warnings[0]).toMatch(/readable by other users/);
  });

  it('fails clearly when the key file cannot be read', () => {
    const file = join(dir, SECRET_KEY_FILE);
    loadSecretKeys({ DATA_DIR: dir });
    // A directory in place of the file cannot be read on any platform (root ignores modes).
    rmSync(file);
    mkdirSync(file);
    expect(() => loadSecretKeys({ DATA_DIR: dir })).toThrow(/Cannot read the secret key file/);
  });
});
