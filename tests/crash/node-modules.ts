import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { expect } from 'vitest';
import plugin from '../../src/index.js';
import { fixturesDir, repoRoot } from '../support/fixtures.js';

/*
 * Crash test over code nobody here wrote: a deterministic sample of the installed dependency
 * tree, linted with every rule on, four times each: as it is, with "use server" and with
 * "use client" prepended, and as a Route Handler, all placed inside the example app so that
 * every rule's project-aware path runs. Parse errors are counted; any exception fails.
 * CRASH_SAMPLE=all (or a number) widens the sample. The sample is split into shards, one spec file
 * each, so that vitest runs them on separate cores.
 */

const MAX_BYTES = 200 * 1024;
const DEFAULT_SAMPLE = 2000;
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

const app = path.join(fixturesDir, 'next-app');

function candidates(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) candidates(full, found);
    else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name) && statSync(full).size <= MAX_BYTES) {
      found.push(full);
    }
  }
  return found;
}

function sample(files: string[]): string[] {
  const sorted = files.map(file => path.relative(repoRoot, file)).sort();
  const wanted = process.env.CRASH_SAMPLE === 'all' ? sorted.length : Number(process.env.CRASH_SAMPLE ?? DEFAULT_SAMPLE);
  const stride = Math.max(1, sorted.length / wanted);
  const picked: string[] = [];
  for (let index = 0; index < sorted.length && picked.length < wanted; index += stride) picked.push(sorted[Math.floor(index)]!);
  return picked;
}

/** A directive goes after a hashbang line, where a real file would have it. */
function prepend(directive: string, text: string): string {
  if (!text.startsWith('#!')) return `${directive}\n${text}`;
  const newline = text.indexOf('\n');
  return newline === -1 ? `${text}\n${directive}\n` : `${text.slice(0, newline + 1)}${directive}\n${text.slice(newline + 1)}`;
}

interface Variant {
  name: string;
  filename(ext: string, index: number): string;
  text(source: string): string;
}

const variants: Variant[] = [
  { name: 'as is', filename: (ext, index) => path.join(app, 'app/crash', `file-${index}${ext}`), text: source => source },
  { name: '"use server"', filename: (ext, index) => path.join(app, 'app/crash', `actions-${index}${ext}`), text: source => prepend("'use server';", source) },
  { name: '"use client"', filename: (ext, index) => path.join(app, 'app/crash', `client-${index}${ext}`), text: source => prepend("'use client';", source) },
  { name: 'route.ts', filename: ext => path.join(app, 'app/api/x', `route${ext}`), text: source => source },
];

/** Lints shard `shard` (0-based) of `shards` of the sample; throws on any exception. */
export function crashTest(shard: number, shards: number): void {
  const all = candidates(path.join(repoRoot, 'node_modules'));
  const sampled = sample(all);
  const files = sampled.filter((_, index) => index % shards === shard);
  const linter = new Linter({ cwd: app });
  const config: Linter.Config[] = [plugin.configs.all];
  const ruleCount = Object.keys(plugin.configs.all.rules ?? {}).length;
  const crashes: string[] = [];
  let parseErrors = 0;
  let findings = 0;
  let runs = 0;
  const started = performance.now();
  files.forEach((file, index) => {
    const source = readFileSync(path.join(repoRoot, file), 'utf8');
    const ext = path.extname(file);
    for (const variant of variants) {
      runs++;
      try {
        const messages = linter.verify(variant.text(source), config, variant.filename(ext, index));
        if (messages.some(message => message.fatal)) parseErrors++;
        else findings += messages.length;
      } catch (error) {
        crashes.push(`${file} (${variant.name}): ${String((error as Error).stack ?? error).split('\n').slice(0, 6).join('\n')}`);
      }
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `crash test, shard ${shard + 1}/${shards}: ${files.length} of ${sampled.length} sampled files (from ${all.length} in node_modules) ` +
      `× ${variants.length} variants = ${runs} lint runs with ${ruleCount} rules in ${seconds} s; ` +
      `${parseErrors} parse errors, ${findings} findings, ${crashes.length} exceptions`,
  );
  expect(crashes, crashes.slice(0, 10).join('\n\n')).toEqual([]);
  expect(files.length).toBeGreaterThan(0);
  expect(parseErrors).toBeLessThan(runs / 2);
}
