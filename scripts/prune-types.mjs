// `tsc` declares every module it compiles; the package's types are what dist/index.d.ts reaches.
// The declarations of the analysis, the rules and the helpers are removed so that nobody imports
// them as if they were public API.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const reachable = new Set();
const pending = [path.join(dist, 'index.d.ts')];
while (pending.length > 0) {
  const file = pending.pop();
  if (reachable.has(file)) continue;
  reachable.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, specifier] of text.matchAll(/\bfrom '(\.{1,2}\/[^']+)\.js'/g)) {
    pending.push(path.resolve(path.dirname(file), `${specifier}.d.ts`));
  }
}

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) prune(full);
    else if (entry.name.endsWith('.d.ts') && !reachable.has(full)) rmSync(full);
  }
}
prune(dist);
