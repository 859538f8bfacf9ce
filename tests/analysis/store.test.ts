import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearStore, fileExists, getStoreStats, syncWithDisk } from '../../src/analysis/store.js';
import { makeTempDir } from '../support/temp-tree.js';

/*
 * When the store looks at the disk again: a batch run (each file linted once) pays for a check
 * every half minute, an editor re-linting the same file every second.
 */

let root: string;
let now: number;

beforeEach(() => {
  root = makeTempDir('next-actions-store-');
  clearStore();
  now = 1_000_000;
  vi.spyOn(Date, 'now').mockImplementation(() => now);
});

afterEach(() => {
  vi.restoreAllMocks();
  clearStore();
  rmSync(root, { recursive: true, force: true });
});

describe('syncWithDisk', () => {
  it('checks on first lints only every half minute, and on a re-lint after a second', () => {
    const route = path.join(root, 'route.ts');
    syncWithDisk(path.join(root, 'a.ts'));
    expect(fileExists(route)).toBe(false);
    writeFileSync(route, 'export {};\n');

    now += 5_000;
    syncWithDisk(path.join(root, 'b.ts'));
    // A first lint five seconds later still trusts the cached answer.
    expect(fileExists(route)).toBe(false);

    syncWithDisk(path.join(root, 'a.ts'));
    // Linting a file again is an editor at work: the disk is looked at.
    expect(fileExists(route)).toBe(true);
    const checks = getStoreStats().checks;

    now += 500;
    syncWithDisk(path.join(root, 'a.ts'));
    expect(getStoreStats().checks).toBe(checks);

    now += 30_000;
    syncWithDisk(path.join(root, 'c.ts'));
    expect(getStoreStats().checks).toBe(checks + 1);
  });
});
