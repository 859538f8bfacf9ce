import { packageName } from './create-rule.js';

const warned = new Set<string>();

/**
 * Said once per process, on stderr, when a lazily loaded peer is missing: oxlint runs the rules
 * without ESLint or TypeScript installed, and the findings that need them are then skipped rather
 * than crashing the run or vanishing without a word.
 */
export function warnMissingPeer(peer: 'eslint' | 'typescript', neededFor: string): void {
  if (warned.has(peer)) return;
  warned.add(peer);
  console.warn(
    `${packageName}: '${peer}' could not be loaded, so findings that depend on other files are skipped (${neededFor}). Install '${peer}' as a devDependency next to the plugin.`,
  );
}
