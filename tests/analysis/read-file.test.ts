import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile, readRegularFileHead } from '../../src/analysis/read-file.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

const dir = makeTempDir('read-file-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a regular file whole, and its head on request', () => {
    const file = writeInto(dir, 'a.ts', 'export const a = 1;\n');
    expect(readRegularFile(file)).toBe('export const a = 1;\n');
    expect(readRegularFileHead(file, 6)).toBe('export');
  });

  it('refuses a file over the size cap, a folder and a missing path', () => {
    const file = writeInto(dir, 'big.ts', 'x'.repeat(100));
    expect(readRegularFile(file, 99)).toBeUndefined();
    expect(readRegularFile(file, 100)).toBe('x'.repeat(100));
    expect(readRegularFile(dir)).toBeUndefined();
    expect(readRegularFile(path.join(dir, 'missing.ts'))).toBeUndefined();
  });

  it('returns at once for a FIFO and for a link to a device, which would block or never end', () => {
    const fifo = path.join(dir, 'base.json');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(dir, 'zero.json');
    symlinkSync('/dev/zero', zero);
    const started = Date.now();
    expect(readRegularFile(fifo)).toBeUndefined();
    expect(readRegularFileHead(fifo, 10)).toBeUndefined();
    expect(readRegularFile(zero)).toBeUndefined();
    expect(readRegularFileHead(zero, 10)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
