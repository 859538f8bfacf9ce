import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectedFindings, fixturesDir, repoRoot } from '../support/fixtures.js';
import { installedVersion, npm, run, type RunResult, sourceFiles } from './support.js';

/*
 * The package as users get it: built, packed with `npm pack`, installed from the tarball next to
 * ESLint 9 and ESLint 10 (both peers we claim) into a copy of fixtures/next-app, and run through
 * the real `eslint` CLI with the example app's own eslint.config.mjs.
 */

const PLUGIN = 'eslint-plugin-next-actions';
/*
 * Not a devDependency of ours: it asks for `jschardet@latest`, which breaks `npm ci` whenever
 * jschardet publishes, and it pulls ESLint 8 into the tree. Installed into the e2e app only, the
 * way a user adds it, at a pinned version.
 */
const SARIF_FORMATTER = '@microsoft/eslint-formatter-sarif';
const SARIF_FORMATTER_VERSION = '3.1.0';
const RDJSON_FORMATTER = 'eslint-formatter-rdjson';

/**
 * An autofixable mistake added to the copy of the app, so that `--fix` and the reviewdog
 * formatter have a fix to carry even while the example app itself has only suggestions.
 */
const FIXABLE_FILE = 'app/drafts/page.tsx';
const FIXABLE_SOURCE = `// Added by the end-to-end test: a sync inline Server Action, which --fix makes async.
export default function DraftsPage() {
  function discardDraft() { // expect: valid-server-actions
    'use server';
  }
  return (
    <form action={discardDraft}>
      <button type="submit">Discard</button>
    </form>
  );
}
`;

const eslintVersions = [
  { label: 'ESLint 9', spec: 'eslint@^9.39.0', major: 9 },
  { label: 'ESLint 10', spec: `eslint@${installedVersion('eslint')}`, major: 10 },
];

interface JsonMessage {
  ruleId: string | null;
  messageId?: string;
  line: number;
  column: number;
  fatal?: boolean;
  message: string;
  fix?: { range: [number, number]; text: string };
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  source?: string;
}

let workDir: string;
let tarball: string;
const apps = new Map<number, string>();

function eslintCli(app: string, args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [path.join(app, 'node_modules/eslint/bin/eslint.js'), ...args], app);
}

function findings(app: string, results: JsonResult[]): string[] {
  return results
    .flatMap(result =>
      result.messages.map(message => `${path.relative(app, result.filePath).split(path.sep).join('/')}:${message.line}:${message.ruleId ?? 'fatal'}`),
    )
    .sort();
}

async function lintJson(app: string, extra: readonly string[] = []): Promise<{ run: RunResult; results: JsonResult[] }> {
  const result = await eslintCli(app, ['.', '--format', 'json', ...extra]);
  // ESLint advises against threads for an app this small; that warning is all it may print.
  const stderr = result.stderr.replace(/^\(node:\d+\) ESLintPoorConcurrencyWarning: .*\n\(Use `node --trace-warnings .*\n/m, '');
  expect(stderr).toBe('');
  return { run: result, results: JSON.parse(result.stdout) as JsonResult[] };
}

async function prepareApp(version: (typeof eslintVersions)[number]): Promise<string> {
  const app = path.join(workDir, `app-eslint-${version.major}`);
  cpSync(path.join(fixturesDir, 'next-app'), app, {
    recursive: true,
    filter: source => path.basename(source) !== 'node_modules',
  });
  // The app's own dependencies (next, react) are not needed to lint it; only ESLint and the plugin.
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `e2e-app-eslint-${version.major}`, private: true }, null, 2));
  mkdirSync(path.dirname(path.join(app, FIXABLE_FILE)), { recursive: true });
  writeFileSync(path.join(app, FIXABLE_FILE), FIXABLE_SOURCE, { flag: 'wx' });
  const install = await npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
      version.spec,
      `${SARIF_FORMATTER}@${SARIF_FORMATTER_VERSION}`,
      `${RDJSON_FORMATTER}@${installedVersion(RDJSON_FORMATTER)}`,
    ],
    app,
  );
  if (install.code !== 0) throw new Error(`npm install failed in ${app}:\n${install.stderr}`);
  return app;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'next-actions-e2e-'));
  tarball = inject('tarball');
  const prepared = await Promise.all(eslintVersions.map(prepareApp));
  eslintVersions.forEach((version, index) => apps.set(version.major, prepared[index]!));
}, 300_000);

afterAll(() => {
  if (workDir && !process.env.KEEP_E2E) rmSync(workDir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds only the build, the README, the LICENSE and the manifest', async () => {
    const listing = await run('tar', ['-tzf', tarball], workDir);
    const files = listing.stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files.filter(file => !file.startsWith('package/dist/')).sort()).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/package.json',
    ]);
    // The public types: the plugin and its settings, not the analysis, rules or helpers.
    expect(files.filter(file => file.endsWith('.d.ts')).sort()).toEqual(['package/dist/index.d.ts', 'package/dist/settings.d.ts']);
  });
});

describe.each(eslintVersions)('$label with the installed tarball', version => {
  const app = () => apps.get(version.major)!;

  it(`runs ESLint ${version.major} and the plugin from the tarball`, () => {
    const eslintManifest = JSON.parse(readFileSync(path.join(app(), 'node_modules/eslint/package.json'), 'utf8')) as { version: string };
    expect(Number(eslintManifest.version.split('.')[0])).toBe(version.major);
    const plugin = JSON.parse(readFileSync(path.join(app(), 'node_modules', PLUGIN, 'package.json'), 'utf8')) as { version: string };
    const own = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(plugin.version).toBe(own.version);
    expect(existsSync(path.join(app(), 'node_modules', PLUGIN, 'src'))).toBe(false);
  });

  it('`eslint .` exits 1 with exactly the annotated findings', async () => {
    const { run: result, results } = await lintJson(app());
    expect(result.code).toBe(1);
    const expected = sourceFiles(app()).flatMap(file =>
      expectedFindings(path.join(app(), file)).map(item => {
        const [line, rule] = item.split(':');
        return `${file}:${line}:next-actions/${rule}`;
      }),
    );
    expect(findings(app(), results)).toEqual(expected.sort());
    expect(results.length).toBe(sourceFiles(app()).length);
  });

  it('gives the same findings with `--concurrency 2` and from `--cache`', async () => {
    const single = findings(app(), (await lintJson(app())).results);
    const threaded = await lintJson(app(), ['--concurrency', '2']);
    expect(findings(app(), threaded.results)).toEqual(single);
    const cacheLocation = path.join(workDir, `cache-${version.major}`);
    const cold = await lintJson(app(), ['--cache', '--cache-location', cacheLocation]);
    const warm = await lintJson(app(), ['--cache', '--cache-location', cacheLocation]);
    expect(existsSync(cacheLocation)).toBe(true);
    expect(findings(app(), cold.results)).toEqual(single);
    expect(findings(app(), warm.results)).toEqual(single);
  });

  it('writes SARIF 2.1.0 with the help URI of every reported rule', async () => {
    const output = path.join(workDir, `eslint-${version.major}.sarif`);
    const result = await eslintCli(app(), ['.', '--format', SARIF_FORMATTER, '--output-file', output]);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(readFileSync(output, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const [sarifRun] = sarif.runs;
    expect(sarifRun.tool.driver.name).toBe('ESLint');
    const rules = sarifRun.tool.driver.rules as { id: string; helpUri: string; shortDescription: { text: string } }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const name = rule.id.replace(/^next-actions\//, '');
      expect(rule.id).toBe(`next-actions/${name}`);
      expect(rule.helpUri).toMatch(new RegExp(`^https://github\\.com/[\\w.-]+/${PLUGIN}/blob/v[\\w.-]+/docs/rules/${name}\\.md$`));
      expect(existsSync(path.join(repoRoot, 'docs/rules', `${name}.md`)), `docs/rules/${name}.md`).toBe(true);
      expect(rule.shortDescription.text).toMatch(/^(Enforce|Require|Disallow) /);
    }
    const results = sarifRun.results as {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
    const { results: json } = await lintJson(app());
    expect(results).toHaveLength(json.flatMap(result => result.messages).length);
    for (const result of results) {
      expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const [location] = result.locations;
      expect(location!.physicalLocation.artifactLocation.uri).toMatch(/^file:\/\//);
      expect(location!.physicalLocation.region.startLine).toBeGreaterThan(0);
    }
  });

  it('hands every autofix to reviewdog as a suggestion (rdjson)', async () => {
    const result = await eslintCli(app(), ['.', '--format', 'rdjson']);
    expect(result.code).toBe(1);
    const rdjson = JSON.parse(result.stdout) as {
      diagnostics: {
        code: { value: string; url: string };
        location: { path: string; range: { start: { line: number } } };
        suggestions?: { range: { start: { line: number; column: number } }; text: string }[];
      }[];
    };
    const { results } = await lintJson(app());
    const fixable = results.flatMap(file => file.messages.filter(message => message.fix).map(message => ({ file, message })));
    expect(fixable.length, 'the app needs at least one autofixable finding').toBeGreaterThan(0);
    expect(rdjson.diagnostics).toHaveLength(results.flatMap(file => file.messages).length);
    for (const { file, message } of fixable) {
      const diagnostic = rdjson.diagnostics.find(
        candidate =>
          candidate.location.path === file.filePath &&
          candidate.location.range.start.line === message.line &&
          candidate.code.value === message.ruleId,
      );
      expect(diagnostic?.suggestions, `${file.filePath}:${message.line}`).toHaveLength(1);
      // reviewdog trims the text both sides share; what is left must still be in the fix.
      expect(message.fix!.text).toContain(diagnostic!.suggestions![0]!.text);
    }
    for (const diagnostic of rdjson.diagnostics) {
      expect(diagnostic.code.url).toMatch(/\/docs\/rules\/[\w-]+\.md$/);
    }
  });

  it('reports a broken `settings["next-actions"]` in one line, without a stack trace', async () => {
    const config = path.join(app(), 'broken-settings.config.mjs');
    writeFileSync(
      config,
      `import nextActions from '${PLUGIN}';\n\nexport default [{ ...nextActions.configs.strict, settings: { 'next-actions': { authFunctions: 5 } } }];\n`,
    );
    try {
      for (const extra of [[], ['--concurrency', '2']]) {
        const result = await eslintCli(app(), ['.', '--config', config, ...extra]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        const lines = result.stderr.split('\n').filter(line => line.trim() !== '');
        const problem = lines.filter(line => line.includes(`${PLUGIN}: invalid settings['next-actions']`));
        expect(problem, result.stderr).toEqual([
          `${PLUGIN}: invalid settings['next-actions']: 'authFunctions' must be an array of names or patterns such as 'db.*.create', got number 5.`,
        ]);
        expect(lines.filter(line => /^\s+at /.test(line)), result.stderr).toEqual([]);
      }
    } finally {
      rmSync(config);
    }
  });

  // Last: it rewrites the app.
  it('`eslint . --fix` applies every autofix, and a second run finds only what has no fix', async () => {
    const before = (await lintJson(app())).results;
    const all = before.flatMap(file => file.messages);
    const fixable = all.filter(message => message.fix);
    expect(fixable.length).toBeGreaterThan(0);
    const fixRun = await eslintCli(app(), ['.', '--fix']);
    expect([0, 1]).toContain(fixRun.code);
    const after = (await lintJson(app())).results;
    const remaining = after.flatMap(file => file.messages);
    expect(remaining.filter(message => message.fatal), 'fixed files must parse').toEqual([]);
    expect(remaining.filter(message => message.fix)).toEqual([]);
    const kinds = (messages: JsonMessage[]) => messages.map(message => `${message.ruleId}/${message.messageId}`).sort();
    expect(kinds(remaining)).toEqual(kinds(all.filter(message => !message.fix)));
    const fixed = readFileSync(path.join(app(), FIXABLE_FILE), 'utf8');
    expect(fixed).toContain('async function discardDraft()');
  });
});
