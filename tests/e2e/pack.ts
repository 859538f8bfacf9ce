import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../support/fixtures.js';
import { npm } from './support.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The plugin as `npm pack` makes it, built once for every end-to-end spec file. */
    tarball: string;
  }
}

let packDir: string | undefined;

/**
 * Vitest global setup: spec files run in parallel workers, and each building `dist/` on its own
 * would have one pack a folder another is emptying.
 */
export async function setup(project: TestProject): Promise<void> {
  packDir = mkdtempSync(path.join(os.tmpdir(), 'next-actions-pack-'));
  const build = await npm(['run', 'build'], repoRoot);
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const pack = await npm(['pack', '--json', '--pack-destination', packDir], repoRoot);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  project.provide('tarball', path.join(packDir, filename));
}

export function teardown(): void {
  if (packDir && !process.env.KEEP_E2E) rmSync(packDir, { recursive: true, force: true });
}
