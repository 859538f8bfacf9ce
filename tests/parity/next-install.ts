import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Next.js release the parity test compiles with. It is installed on first use into a cache
 * folder rather than kept in devDependencies: `next` lists native compilers for every platform as
 * optional dependencies, and a lockfile written on one platform then fails `npm ci` on registries
 * that do not carry the others.
 */
export const NEXT_VERSION = '16.4.6';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nextHome = path.join(repoRoot, 'node_modules/.cache/next-parity', NEXT_VERSION);

/** Vitest global setup: make sure the pinned Next.js is installed before any test imports it. */
export default function installNext(): void {
  if (existsSync(path.join(nextHome, 'node_modules/next/package.json'))) return;
  mkdirSync(nextHome, { recursive: true });
  writeFileSync(path.join(nextHome, 'package.json'), '{ "name": "next-parity", "private": true }\n');
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `next@${NEXT_VERSION}`],
    { cwd: nextHome, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
}
