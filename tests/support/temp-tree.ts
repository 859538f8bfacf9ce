import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A fresh folder in the system temp dir, for tests of what the plugin reads from disk. Its real
 * path, because TypeScript resolves to real paths (macOS puts tmp behind a symlink).
 */
export function makeTempDir(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
}

/** Writes `text` to `file` under `root`, creating folders, and returns the absolute path. */
export function writeInto(root: string, file: string, text: string): string {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}
