// `node scripts/check-lock.js [package-lock.json]`: fails, naming the package, when any dependency
// anywhere in the lock is requested by a dist-tag (`latest`, `next`, `beta`, ...).
//
// A dist-tag moves whenever its package publishes, and then the version pinned in the lock no
// longer satisfies the request, so `npm ci` refuses to install on every fresh machine. Catching
// the request the day it enters the tree, not the day its upstream publishes, is the point.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * Whether an npm dependency spec names a dist-tag rather than a version, a range or a source.
 * Ranges start with a digit, an operator, `v`, `*` or an `x`; sources carry a protocol
 * (`npm:`, `file:`, `git+https:`, `workspace:`) or a slash (`owner/repo`, a path).
 * @param {string} spec
 */
export function isDistTag(spec) {
  const trimmed = spec.trim();
  if (trimmed === '' || /[:/\\]/.test(trimmed)) return false;
  if (/^[xX*]$/.test(trimmed) || /^[vV]?\d/.test(trimmed) || /^[<>=~^]/.test(trimmed)) return false;
  if (/\s|\|\|/.test(trimmed)) return false;
  return /^[A-Za-z][\w.-]*$/.test(trimmed);
}

/**
 * Every dependency of every package in a lockfile (v2/v3 `packages` map) requested by a dist-tag.
 * @param {{ packages?: Record<string, Record<string, unknown>> }} lock
 * @returns {{ where: string, field: string, name: string, spec: string }[]}
 */
export function distTagRequests(lock) {
  const found = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    for (const field of DEPENDENCY_FIELDS) {
      const requested = /** @type {Record<string, string> | undefined} */ (entry[field]);
      for (const [name, spec] of Object.entries(requested ?? {})) {
        if (typeof spec === 'string' && isDistTag(spec)) found.push({ where: where || '(root)', field, name, spec });
      }
    }
  }
  return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lockFile = path.resolve(process.argv[2] ?? 'package-lock.json');
  const requests = distTagRequests(JSON.parse(readFileSync(lockFile, 'utf8')));
  for (const { where, field, name, spec } of requests) {
    console.error(`${path.basename(lockFile)}: ${where} requests ${name}@"${spec}" in ${field}: a dist-tag, which breaks \`npm ci\` when ${name} publishes. Pin it through "overrides" or drop the package.`);
  }
  if (requests.length > 0) process.exit(1);
  console.log(`${path.basename(lockFile)}: no dependency is requested by a dist-tag.`);
}
