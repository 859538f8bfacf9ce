import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { repoRoot } from '../support/fixtures.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';
import { npm } from './support.js';

/*
 * What a cloned repository can do to a lint run: trees and sources built to make the plugin hang,
 * blow up its memory, or write a wrong fix. Each tree is linted by the built plugin in a child
 * process with a heap cap and a deadline, and stdin held open, so that a hang or a runaway read
 * fails its own case instead of stalling the suite. Files are always named explicitly: ESLint
 * itself is not under test and would block on a FIFO it was asked to lint.
 */

const MEMORY_MB = 384;
const buildDir = path.join(repoRoot, 'node_modules', '.cache', 'next-actions-adversarial');
let root: string;
let runner: string;

interface Message {
  ruleId: string | null;
  messageId?: string;
  line: number;
  fatal?: boolean;
  message: string;
}
interface Outcome {
  code: number | null;
  ms: number;
  stderr: string;
  results: { file: string; messages: Message[] }[];
  heap?: number[];
}
interface Job {
  cwd: string;
  files?: string[];
  settings?: Record<string, unknown>;
  rules?: Record<string, unknown>;
  /** Lint `files` this many times, each with a new ESLint instance, and report the heap after each 50. */
  instances?: number;
}

const RUNNER = (eslintUrl: string, pluginUrl: string) => `
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
const { ESLint } = await import(${JSON.stringify(eslintUrl)});
const { default: plugin } = await import(${JSON.stringify(pluginUrl)});
const job = JSON.parse(process.argv[2]);
const config = [{ ...plugin.configs.all, rules: { ...plugin.configs.all.rules, ...job.rules }, settings: { 'next-actions': job.settings ?? {} } }];
const lint = () => new ESLint({ cwd: job.cwd, overrideConfigFile: true, overrideConfig: config }).lintFiles(job.files);
// As the CLI: exit 1 when errors were found, 2 with the error (one line for a settings error) when linting failed.
try {
  const heap = [];
  if (job.instances) {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    for (let index = 1; index <= job.instances; index++) {
      await lint();
      if (index % 50 === 0) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
    }
  }
  const results = await lint();
  process.exitCode = results.some(result => result.messages.length > 0) ? 1 : 0;
  process.stdout.write(JSON.stringify({
    heap,
    results: results.map(result => ({
      file: path.relative(job.cwd, result.filePath).split(path.sep).join('/'),
      messages: result.messages.map(({ ruleId, messageId, line, fatal, message }) => ({ ruleId, messageId, line, fatal, message })),
    })),
  }));
} catch (error) {
  process.stderr.write(String(error?.stack ?? error) + '\\n');
  process.exitCode = 2;
}
`;

/** Lints in a child process; kills it at the deadline. */
function lintInChild(job: Job, deadlineMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${MEMORY_MB}`, runner, JSON.stringify(job)], {
      cwd: job.cwd,
      // stdin stays open: a read of /dev/stdin would wait for ever.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (signal) return reject(new Error(`killed (${signal}) after ${Math.round(ms)} ms; stderr:\n${stderr}`));
      if (code !== 0 && code !== 1) return resolve({ code, ms, stderr, results: [] });
      try {
        resolve({ code, ms, stderr, ...(JSON.parse(stdout) as Pick<Outcome, 'results' | 'heap'>) });
      } catch {
        reject(new Error(`exit ${code} without a result; stderr:\n${stderr}`));
      }
    });
  });
}

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  writeInto(dir, 'package.json', '{ "name": "adversarial" }\n');
  for (const [file, text] of Object.entries(files)) writeInto(dir, file, text);
  return dir;
}

function fifo(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const made = spawnSync('mkfifo', [file]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr.toString()}`);
}

function link(target: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  symlinkSync(target, file);
}

function findings(outcome: Outcome): string[] {
  return outcome.results.flatMap(result => result.messages.map(message => `${result.file}:${message.line}:${message.fatal ? 'fatal' : message.messageId}`)).sort();
}

const CLIENT_CALLS_ACTIONS = `'use client';
import { createPost, deletePost } from '@/app/actions';
export function Buttons() {
  return <button onClick={() => Promise.all([createPost(), deletePost()])} />;
}
`;
const ACTIONS = `'use server';
import { revalidatePath } from 'next/cache';
import { save } from '@/lib/helpers';
export async function createPost() { await save(); revalidatePath('/'); }
export async function deletePost() { revalidatePath('/'); }
`;
const clientPost = (url: string) => `'use client';
export function Send() {
  return <button onClick={() => fetch('${url}', { method: 'POST' })} />;
}
`;

beforeAll(async () => {
  root = makeTempDir('next-actions-adversarial-');
  // The built plugin, inside the repository so that its imports resolve to our node_modules.
  rmSync(buildDir, { recursive: true, force: true });
  // The built code reads its version from the package.json two folders up, as in the published package.
  mkdirSync(buildDir, { recursive: true });
  copyFileSync(path.join(repoRoot, 'package.json'), path.join(buildDir, 'package.json'));
  const built = await npm(['exec', '--', 'tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(buildDir, 'dist')], repoRoot);
  if (built.code !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  const eslintEntry = createRequire(path.join(repoRoot, 'package.json')).resolve('eslint');
  runner = path.join(root, 'run.mjs');
  writeFileSync(runner, RUNNER(pathToFileURL(eslintEntry).href, pathToFileURL(path.join(buildDir, 'dist', 'index.js')).href));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

describe('what a path can point at', () => {
  const cases: [string, (file: string) => void][] = [
    ['a FIFO', file => fifo(file)],
    ['a symlink to /dev/zero', file => link('/dev/zero', file)],
    ['a symlink to /dev/stdin', file => link('/dev/stdin', file)],
  ];

  it.each(cases)('a tsconfig extends %s: the run ends, and relative imports are still followed', async (_, make) => {
    const dir = tree(`extends-${_.replace(/\W+/g, '-')}`, {
      'tsconfig.json': '{ "extends": "./base.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'app/actions.ts': ACTIONS,
      'lib/helpers.ts': 'export async function save() {}\n',
      'app/buttons.tsx': CLIENT_CALLS_ACTIONS.replace('@/app/actions', './actions'),
    });
    make(path.join(dir, 'base.json'));
    const outcome = await lintInChild({ cwd: dir, files: ['app/buttons.tsx', 'app/actions.ts'] }, 60_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toEqual(['app/buttons.tsx:4:parallelPromise']);
  }, 90_000);

  it.each(cases)('an imported helper, a route file and next.config are %s: the run ends', async (_, make) => {
    const dir = tree(`files-${_.replace(/\W+/g, '-')}`, {
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'app/actions.ts': ACTIONS,
      'app/buttons.tsx': CLIENT_CALLS_ACTIONS,
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'components/send.tsx': clientPost('/api/hooks'),
    });
    for (const file of ['lib/helpers.ts', 'app/api/hooks/route.ts', 'next.config.js']) make(path.join(dir, file));
    const outcome = await lintInChild({ cwd: dir, files: ['app/buttons.tsx', 'app/actions.ts', 'components/send.tsx'] }, 60_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toContain('app/buttons.tsx:4:parallelPromise');
  }, 90_000);

  it('files over the size cap are not read whole: a 3 MB action module and route file', async () => {
    const filler = `// ${'x'.repeat(118)}\n`.repeat(25_000);
    const dir = tree('oversized', {
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'app/actions.ts': `${ACTIONS}${filler}`,
      'lib/helpers.ts': `export async function save() {}\n${filler}`,
      'app/api/hooks/route.ts': `export async function POST() { return new Response(); }\n${filler}`,
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'app/buttons.tsx': CLIENT_CALLS_ACTIONS,
      'components/send.tsx': clientPost('/api/hooks'),
    });
    const outcome = await lintInChild({ cwd: dir, files: ['app/buttons.tsx', 'components/send.tsx'] }, 60_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    // The prologue is still read from the head: the actions are still known to be actions.
    expect(findings(outcome)).toEqual(['app/buttons.tsx:4:parallelPromise', 'components/send.tsx:3:mutation']);
  }, 90_000);

  it('symlink loops, unreadable files, circular tsconfig extends and import cycles', async () => {
    const dir = tree('loops', {
      'tsconfig.json': '{ "extends": "./a.json" }\n',
      'a.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'app/actions.ts': "'use server';\nexport * from './more';\nexport async function createPost() {}\n",
      'app/more.ts': "export * from './actions';\nexport async function deletePost() {}\n",
      'app/buttons.tsx': CLIENT_CALLS_ACTIONS.replace('@/app/actions', './actions'),
      'app/api/x/route.ts': 'export async function POST() { return new Response(); }\n',
      'components/send.tsx': clientPost('/api/x'),
      'lib/secret.ts': 'export async function save() {}\n',
    });
    link(path.join(dir, 'app'), path.join(dir, 'app', 'loop', 'again'));
    link(path.join(dir, 'app', 'api', 'ring-a'), path.join(dir, 'app', 'api', 'ring-b'));
    link(path.join(dir, 'app', 'api', 'ring-b'), path.join(dir, 'app', 'api', 'ring-a'));
    chmodSync(path.join(dir, 'lib', 'secret.ts'), 0o000);
    const outcome = await lintInChild({ cwd: dir, files: ['app/buttons.tsx', 'components/send.tsx'] }, 60_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toEqual(['app/buttons.tsx:4:parallelPromise', 'components/send.tsx:3:mutation']);
  }, 90_000);
});

describe('sizes', () => {
  it('a route file of 10,000 `export const {` lines is read in linear time', async () => {
    const dir = tree('route-scan', {
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'app/api/x/route.ts': `export async function POST() { return new Response(); }\n${'export const {\n'.repeat(10_000)}`,
      'components/send.tsx': clientPost('/api/x'),
    });
    const outcome = await lintInChild({ cwd: dir, files: ['components/send.tsx'] }, 30_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toEqual(['components/send.tsx:3:mutation']);
  }, 60_000);

  it('5,000 routes', async () => {
    const files: Record<string, string> = { 'app/page.tsx': 'export default function Page() { return null; }\n', 'components/send.tsx': clientPost('/api/r4999/x') };
    for (let index = 0; index < 5000; index++) files[`app/api/r${index}/[id]/route.ts`] = 'export async function POST() { return new Response(); }\n';
    const outcome = await lintInChild({ cwd: tree('many-routes', files), files: ['components/send.tsx'] }, 60_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toEqual(['components/send.tsx:3:mutation']);
  }, 120_000);

  it('nesting close to the parser’s limit', async () => {
    const depth = 1500;
    const dir = tree('deep', {
      'app/actions.ts': `'use server';\nexport async function deep() {\n  return ${'['.repeat(depth)}await db.post.create({})${']'.repeat(depth)};\n}\nexport async function arrows() {\n  ${'(() => '.repeat(300)}db.post.delete({})${')'.repeat(300)};\n}\n`,
    });
    const outcome = await lintInChild({ cwd: dir, files: ['app/actions.ts'] }, 60_000);
    expect(outcome.stderr).not.toMatch(/RangeError|Maximum call stack/);
    expect(outcome.code).not.toBe(2);
  }, 90_000);
});

describe('user patterns cannot backtrack', () => {
  it('authFunctions with eight stars against a long name, and allow globs of repeated /** against a deep URL', async () => {
    const longName = 'a'.repeat(3000);
    const deepUrl = `/api/${Array.from({ length: 60 }, () => 'segment').join('/')}`;
    const dir = tree('patterns', {
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'app/api/[...path]/route.ts': 'export async function POST() { return new Response(); }\n',
      'app/actions.ts': `'use server';\nexport async function remove() {\n  await ${longName}();\n  await db.post.delete({});\n}\n`,
      'components/send.tsx': clientPost(deepUrl),
    });
    const outcome = await lintInChild(
      {
        cwd: dir,
        files: ['app/actions.ts', 'components/send.tsx'],
        settings: { authFunctions: ['a********b'] },
        rules: { 'next-actions/no-fetch-own-api': ['error', { allow: [`${'/**'.repeat(8)}/y`] }] },
      },
      30_000,
    );
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(findings(outcome)).toEqual(['app/actions.ts:2:missingAuth', 'app/actions.ts:2:missingRevalidation', 'components/send.tsx:3:mutation']);
  }, 60_000);
});

describe('bad settings stop the run with one line', () => {
  it.each([
    [{ appDir: '' }, `'appDir' must be the App Router folder relative to the project root (such as 'app' or 'src/app'), got "".`],
    [{ appDir: '/' }, `'appDir' must be the App Router folder relative to the project root (such as 'app' or 'src/app'), got "/".`],
    [{ rootDir: 'apps/missing' }, `'rootDir' is "apps/missing", but there is no folder`],
    [{ rootDir: '.', appDir: 'src/app' }, `'appDir' is "src/app", but there is no folder`],
    [{ authFunctions: [1] }, `'authFunctions[0]' must be a non-empty name or pattern such as 'db.*.create', got number 1.`],
    [{ authFunctions: [''] }, `'authFunctions[0]' must be a non-empty name or pattern such as 'db.*.create', got string "".`],
    [{ readFunctions: 'db.*.find' }, `'readFunctions' must be an array of names or patterns`],
    [{ basePath: 3 }, `'basePath' must be a string, got number 3.`],
  ])('%j', async (settings, message) => {
    const dir = tree(`settings-${Object.keys(settings).join('-')}`, { 'app/actions.ts': ACTIONS });
    const outcome = await lintInChild({ cwd: dir, files: ['app/actions.ts'], settings }, 30_000);
    expect(outcome.code).toBe(2);
    const lines = outcome.stderr.split('\n').filter(line => line.includes("settings['next-actions']"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('memory', () => {
  it('a new ESLint instance per run leaves nothing behind in the plugin’s caches', async () => {
    const dir = tree('instances', {
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'app/actions.ts': ACTIONS,
      'lib/helpers.ts': "import { db } from './db';\nexport async function save() { await db.post.create({}); }\n",
      'app/buttons.tsx': CLIENT_CALLS_ACTIONS,
    });
    const outcome = await lintInChild({ cwd: dir, files: ['app/actions.ts', 'app/buttons.tsx'], instances: 150 }, 240_000);
    expect(outcome.code, outcome.stderr).toBe(1);
    const [first, ...rest] = outcome.heap!;
    // After the first 50 runs have warmed every cache, 100 more instances add well under 0.05 MB each.
    const perInstance = (rest.at(-1)! - first!) / (50 * rest.length);
    expect(perInstance).toBeLessThan(0.05 * 1024 * 1024);
  }, 300_000);
});

/** Rule time per rule, from listeners wrapped with a clock (ESLint's own timing is process-wide). */
function ruleTimes(code: string, filename: string): Map<string, number> {
  const spent = new Map<string, number>();
  const clock = (id: string, run: () => unknown) => {
    const started = performance.now();
    try {
      return run();
    } finally {
      spent.set(id, (spent.get(id) ?? 0) + performance.now() - started);
    }
  };
  const rules = Object.fromEntries(
    Object.entries(plugin.rules).map(([id, rule]) => [
      id,
      {
        ...rule,
        create(context: Parameters<typeof rule.create>[0]) {
          const listeners = clock(id, () => rule.create(context as never)) as Record<string, (...args: unknown[]) => unknown>;
          return Object.fromEntries(Object.entries(listeners).map(([key, listener]) => [key, (...args: unknown[]) => clock(id, () => listener(...args))]));
        },
      },
    ]),
  );
  const linter = new Linter({ cwd: root });
  // With an auth function configured, every missing-auth report carries its guard suggestion too.
  const settings = { 'next-actions': { authFunctions: ['requireUser'] } };
  linter.verify(code, [{ ...plugin.configs.all, plugins: { 'next-actions': { rules } as never }, settings }], path.join(root, filename));
  return spent;
}

describe('every rule is linear in the number of actions per file', () => {
  const shapes: [string, string, (index: number) => string, string][] = [
    [
      'a "use server" file',
      'app/posts/actions.ts',
      index => `export async function action${index}(form) { const title = form.get('title'); await db.post.create({ data: { title } }) }`,
      "'use server'\nimport { db } from '@/lib/db'\n",
    ],
    [
      'a page with inline actions',
      'app/posts/page.tsx',
      index => `async function save${index}(form: FormData) { 'use server'; await db.post.update({ where: { id: '${index}' }, data: {} }); }`,
      "import { db } from '@/lib/db';\n",
    ],
    [
      'a Client Component calling routes and actions',
      'app/posts/form.tsx',
      index => `export function Form${index}() { return <button onClick={() => { fetch('/api/posts/${index}', { method: 'POST' }); Promise.all([a(), b()]); }} />; }`,
      "'use client';\nimport { a, b } from './actions';\n",
    ],
  ];

  it.each(shapes)('%s: 4N actions cost at most twice 4× the time of N', (_, filename, item, head) => {
    const n = 600;
    const source = (count: number) => head + Array.from({ length: count }, (__, index) => item(index)).join('\n');
    const small = source(n);
    const large = source(4 * n);
    const best = (times: Map<string, number>[], id: string) => Math.min(...times.map(map => map.get(id) ?? 0));
    const smallTimes: Map<string, number>[] = [];
    const largeTimes: Map<string, number>[] = [];
    // Five rounds, the best of each kept: under `.ci/run` other test files load both cores at the
    // same time, and three rounds have let one contended round through (10× for a linear rule).
    for (let round = 0; round < 5; round++) {
      smallTimes.push(ruleTimes(small, filename));
      largeTimes.push(ruleTimes(large, filename));
    }
    const slow = Object.keys(plugin.rules).flatMap(id => {
      const [a, b] = [best(smallTimes, id), best(largeTimes, id)];
      // Linear would be 4×; quadratic 16×. The constant absorbs rules that cost next to nothing.
      return b > 8 * a + 150 ? [`${id}: ${a.toFixed(0)} ms for ${n}, ${b.toFixed(0)} ms for ${4 * n}`] : [];
    });
    expect(slow).toEqual([]);
  }, 240_000);
});
