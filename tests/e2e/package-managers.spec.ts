import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { installedVersion, npm, run } from './support.js';

/*
 * Most large Next.js apps are pnpm monorepos, where a package sees only what it declares (its
 * dependencies and peers), not whatever npm happened to hoist. The same tarball is installed with
 * npm (with the lowest TypeScript our peer range claims) and with pnpm (with the newest), next to
 * ESLint as an app has it, and must give the same
 * cross-file finding: a Client Component that runs two Server Actions with `Promise.all`, the
 * actions module imported through the tsconfig path alias `@/`.
 */

const PNPM_VERSION = '12.23.0';
const CROSS_FILE = 'app/posts/import-drafts.tsx';
const PRELOAD_WITHOUT_TYPESCRIPT = 'without-typescript.cjs';

let workDir: string;
let pnpmCli: string;
const apps = new Map<string, string>();

function copyApp(name: string): string {
  const app = path.join(workDir, name);
  cpSync(path.join(fixturesDir, 'next-app'), app, { recursive: true, filter: source => path.basename(source) !== 'node_modules' });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true }, null, 2));
  return app;
}

/** The lowest TypeScript of the peer range we declare; pnpm gets the one we develop with. */
const LOWEST_TYPESCRIPT = '4.8.4';
const packages = (typescript: string) => [inject('tarball'), `eslint@${installedVersion('eslint')}`, `typescript@${typescript}`];

const installers: Record<string, (app: string) => Promise<{ code: number | null; stderr: string }>> = {
  npm: app => npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...packages(LOWEST_TYPESCRIPT)], app),
  pnpm: app =>
    run(process.execPath, [pnpmCli, 'add', '--store-dir', path.join(workDir, 'pnpm-store'), '--reporter=silent', ...packages(installedVersion('typescript'))], app, {
      // pnpm refuses to run under CI without a lockfile unless told that writing one is fine.
      CI: '',
    }),
};

interface Finding {
  file: string;
  line: number;
  rule: string | null;
}

async function lint(app: string, nodeArgs: readonly string[] = []): Promise<{ findings: Finding[]; stderr: string; code: number | null }> {
  const result = await run(process.execPath, [...nodeArgs, path.join(app, 'node_modules/eslint/bin/eslint.js'), '.', '--format', 'json'], app);
  const results = JSON.parse(result.stdout) as { filePath: string; messages: { line: number; ruleId: string | null }[] }[];
  const findings = results.flatMap(({ filePath, messages }) =>
    messages.map(message => ({ file: path.relative(app, filePath).split(path.sep).join('/'), line: message.line, rule: message.ruleId })),
  );
  return { findings, stderr: result.stderr, code: result.code };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'next-actions-pm-'));
  const tool = path.join(workDir, 'pnpm-tool');
  const install = await npm(['install', '--prefix', tool, '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${PNPM_VERSION}`], workDir);
  if (install.code !== 0) throw new Error(`installing pnpm failed:\n${install.stderr}`);
  pnpmCli = path.join(tool, 'node_modules/pnpm/bin/pnpm.mjs');
  await Promise.all(
    Object.entries(installers).map(async ([manager, installer]) => {
      const app = copyApp(`app-${manager}`);
      const result = await installer(app);
      if (result.code !== 0) throw new Error(`${manager} could not install the tarball:\n${result.stderr}`);
      apps.set(manager, app);
    }),
  );
}, 300_000);

afterAll(() => {
  if (workDir && !process.env.KEEP_E2E) rmSync(workDir, { recursive: true, force: true });
});

describe.each(Object.keys(installers))('installed with %s', manager => {
  it('reports the cross-file Promise.all of two imported Server Actions', async () => {
    const { findings, stderr, code } = await lint(apps.get(manager)!);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(findings.filter(finding => finding.file === CROSS_FILE)).toEqual([
      { file: CROSS_FILE, line: 18, rule: 'next-actions/no-parallel-actions' },
      { file: CROSS_FILE, line: 25, rule: 'next-actions/no-parallel-actions' },
    ]);
  });
});

describe('when the plugin cannot load TypeScript (a layout that hides it, such as Yarn PnP without the peer)', () => {
  it('warns once, naming what is turned off, and still reports what needs no other file', async () => {
    const app = apps.get('pnpm')!;
    // Only the plugin's own `require('typescript')` fails; the parser still finds TypeScript.
    writeFileSync(
      path.join(workDir, PRELOAD_WITHOUT_TYPESCRIPT),
      `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && parent && /eslint-plugin-next-actions[\\\\/]dist[\\\\/]/.test(parent.filename)) {
    throw Object.assign(new Error("Cannot find module 'typescript'"), { code: 'MODULE_NOT_FOUND' });
  }
  return resolve.call(this, request, parent, ...rest);
};
`,
    );
    const full = await lint(app);
    const without = await lint(app, ['--require', path.join(workDir, PRELOAD_WITHOUT_TYPESCRIPT)]);
    expect(without.stderr.trim().split('\n')).toEqual([
      "eslint-plugin-next-actions: 'typescript' could not be loaded, so findings that depend on other files are skipped (imports are resolved with TypeScript, as your tsconfig says). Install 'typescript' as a devDependency next to the plugin.",
    ]);
    expect(without.findings.filter(finding => finding.file === CROSS_FILE)).toEqual([]);
    expect(without.findings.length).toBeGreaterThan(0);
    // Rules that judge an action by its callers judge it by its definition when the callers are
    // unknown, so only the others are a subset of the full run.
    const byCallers = (finding: Finding) => /no-query-action|require-revalidate-after-mutation/.test(finding.rule ?? '');
    expect(full.findings).toEqual(expect.arrayContaining(without.findings.filter(finding => !byCallers(finding))));
  });
});
