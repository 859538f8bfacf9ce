// `npm run bench`: what the plugin costs, in two modes.
//
// Synthetic (the default): generates a Next.js app and lints it with the built plugin against a
// control (the same parser, one trivial rule) and @next/eslint-plugin-next.
//   Options: --quick (fewer files and rounds), --files N (default 2000), --rounds N (default 5).
//
// Real apps: `npm run bench -- --corpus <appDir>[,<appDir>...] [--pairs N] [--lints N] [--memory-new] [--quick]`
// lints each app as it is checked out (no install needed; node_modules, .next, dist, build and
// *.d.ts are skipped) and prints, per app, the markdown of the README's "Real apps" section:
//   1. rule time: one run with both plugins on and `stats: true`, each plugin's rule time per
//      1,000 files, the ratio, the parse time, and each of our rules' share;
//   2. wall time against the `no-debugger` control, each lint in a fresh process (cold caches, as
//      a CLI run): the median of --pairs paired ratios (default 9, --quick 3), order alternating;
//   3. a warm editor re-lint of the app's Client Component closest to 200 lines and "use server"
//      module closest to 300 lines, against the control;
//   4. the ESLint CLI with --concurrency 4 against off, one run each: wall and CPU time, the same
//      findings, whether the cold cost multiplies with the workers;
//   5. heapUsed after forced GCs over --lints lints in one process (default 20, --quick 4) with
//      one ESLint instance; with --memory-new, also with a new instance each time (as many lints
//      again: on a 4,000-file app, a quarter of an hour more).
// Relative app directories are resolved from where npm was run. How to fetch the corpus the
// README's figures come from: the "Real apps" part of its Performance section.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nextPlugin from '@next/eslint-plugin-next';
import typescriptParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import plugin from '../dist/index.js';
import { generateApp } from './bench-app.mjs';
import { runCorpus } from './bench-corpus.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const numberArg = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const FILES = numberArg('--files', quick ? 1000 : 2000);
const ROUNDS = numberArg('--rounds', quick ? 3 : 5);
const SCALING = quick ? [250, 500, 1000] : [500, 1000, 2000, 4000];
const EDITOR_RUNS = quick ? 40 : 150;

// ---------------------------------------------------------------------------------------------
// Measuring

const files = ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'];
const languageOptions = { parser: typescriptParser, parserOptions: { ecmaFeatures: { jsx: true } } };
const configs = {
  control: [{ files, languageOptions, rules: { 'no-debugger': 'error' } }],
  'next-actions (configs.all)': [plugin.configs.all],
  '@next/eslint-plugin-next (recommended)': [{ ...nextPlugin.configs.recommended, files, languageOptions }],
};

async function lintOnce(dir, config, stats = false) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, cache: false, stats });
  const started = performance.now();
  const results = await eslint.lintFiles(['.']);
  return { ms: performance.now() - started, results };
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value, digits = 1) => value.toFixed(digits);
const pct = (value, base) => `${value >= base ? '+' : ''}${fmt(((value - base) / base) * 100)} %`;

/** Alternating rounds (the order rotates every round), after one warm-up round; medians. */
async function compare(dir, names, rounds) {
  const times = Object.fromEntries(names.map(name => [name, []]));
  for (const name of names) await lintOnce(dir, configs[name]);
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, index) => names[(index + round) % names.length]);
    for (const name of order) times[name].push((await lintOnce(dir, configs[name])).ms);
  }
  return Object.fromEntries(names.map(name => [name, median(times[name])]));
}

function ruleTimes(results) {
  const totals = new Map();
  let parse = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      for (const [rule, time] of Object.entries(pass.rules ?? {})) totals.set(rule, (totals.get(rule) ?? 0) + time.total);
    }
  }
  return { parse, rules: [...totals].sort((a, b) => b[1] - a[1]) };
}

function eslintCli(dir, extra) {
  const bin = path.join(repoRoot, 'node_modules/eslint/bin/eslint.js');
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, '.', '--format', 'json', ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint ${extra.join(' ')} failed:\n${run.stderr}`);
  const problems = JSON.parse(run.stdout).reduce((sum, result) => sum + result.messages.length, 0);
  return { ms, problems, warnings: run.stderr.trim() };
}

async function editorLatency(dir, editorFile) {
  const filePath = path.join(dir, editorFile);
  const text = readFileSync(filePath, 'utf8');
  const names = ['control', 'next-actions (configs.all)'];
  const instances = Object.fromEntries(
    names.map(name => [name, new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: configs[name] })]),
  );
  const times = Object.fromEntries(names.map(name => [name, []]));
  for (let run = 0; run < 20; run++) for (const name of names) await instances[name].lintText(text, { filePath });
  for (let run = 0; run < EDITOR_RUNS; run++) {
    for (const name of run % 2 ? [...names].reverse() : names) {
      const started = performance.now();
      await instances[name].lintText(text, { filePath });
      times[name].push(performance.now() - started);
    }
  }
  return { lines: text.split('\n').length, control: median(times[names[0]]), plugin: median(times[names[1]]) };
}

// ---------------------------------------------------------------------------------------------

const versionOf = name => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
const log = message => process.stderr.write(`${message}\n`);
const date = new Date().toISOString().slice(0, 10);
const cpus = os.cpus();
const ruleCount = Object.keys(plugin.rules).length;
const versions =
  `Node ${process.version}, ESLint ${ESLint.version}, eslint-plugin-next-actions ${plugin.meta.version} (${ruleCount} rules, \`configs.all\`), ` +
  `@next/eslint-plugin-next ${versionOf('@next/eslint-plugin-next')}, @typescript-eslint/parser ${versionOf('@typescript-eslint/parser')}; ` +
  `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${os.platform()}`;

async function synthetic() {
  const cleanup = [];
  try {
    const load = os.loadavg()[0];
    log(`Generating a ${FILES}-file app…`);
    const main = generateApp(FILES);
    cleanup.push(main.dir);

    log(`Linting it ${ROUNDS + 1} times with each config…`);
    const names = Object.keys(configs);
    const medians = await compare(main.dir, names, ROUNDS);
    const control = medians.control;
    const ours = ruleTimes((await lintOnce(main.dir, configs['next-actions (configs.all)'], true)).results);
    const theirs = ruleTimes((await lintOnce(main.dir, configs['@next/eslint-plugin-next (recommended)'], true)).results);
    const ourRulesTotal = ours.rules.filter(([rule]) => rule.startsWith('next-actions/')).reduce((sum, [, ms]) => sum + ms, 0);
    const theirRulesTotal = theirs.rules.filter(([rule]) => rule.startsWith('@next/next/')).reduce((sum, [, ms]) => sum + ms, 0);

    log('Scaling…');
    const scaling = [];
    for (const count of SCALING) {
      const app = count === FILES ? main : generateApp(count);
      if (app !== main) cleanup.push(app.dir);
      const times = await compare(app.dir, ['control', 'next-actions (configs.all)'], quick ? 2 : 3);
      const stats = ruleTimes((await lintOnce(app.dir, configs['next-actions (configs.all)'], true)).results);
      const rulesMs = stats.rules.filter(([rule]) => rule.startsWith('next-actions/')).reduce((sum, [, ms]) => sum + ms, 0);
      scaling.push({ count, control: times.control / count, plugin: times['next-actions (configs.all)'] / count, rules: rulesMs / count });
    }

    log('CLI: threads and cache…');
    writeFileSync(
      path.join(main.dir, 'eslint.config.mjs'),
      `import nextActions from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href)};\nexport default [nextActions.configs.all];\n`,
    );
    const cli = { one: [], two: [] };
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      cli.one.push(eslintCli(main.dir, ['--concurrency', 'off']));
      cli.two.push(eslintCli(main.dir, ['--concurrency', '2']));
    }
    const cacheLocation = path.join(main.dir, '.eslintcache');
    const cold = eslintCli(main.dir, ['--cache', '--cache-location', cacheLocation]);
    const warm = eslintCli(main.dir, ['--cache', '--cache-location', cacheLocation]);

    log('Editor latency…');
    const editor = await editorLatency(main.dir, main.editorFile);

    const out = [];
    const print = line => out.push(line);
    print(`Measured ${date} with \`npm run bench${quick ? ' -- --quick' : ''}\`: ${versions} (load average ${fmt(load, 2)} when it started).`);
    print('');
    print(`Synthetic App Router app of ${FILES} files (≈10 % Client Components, 5 % "use server" files, 5 % Route Handlers, \`@/\` imports), ` +
      `ESLint Node API, one thread, no cache, median of ${ROUNDS} alternating rounds after a warm-up:`);
    print('');
    print('| Config | Wall time | Per file | Over the control |');
    print('| --- | ---: | ---: | ---: |');
    for (const name of names) {
      print(`| ${name === 'control' ? 'control: parser + `no-debugger`' : name} | ${fmt(medians[name] / 1000, 2)} s | ${fmt(medians[name] / FILES, 2)} ms | ${name === 'control' ? '–' : pct(medians[name], control)} |`);
    }
    print('');
    print(`Time inside the rules (ESLint \`stats\`), ${FILES} files: next-actions ${fmt(ourRulesTotal)} ms in total (${fmt(ourRulesTotal / FILES, 3)} ms per file, ` +
      `${fmt((ourRulesTotal / control) * 100, 2)} % of the control's wall time); @next/eslint-plugin-next ${fmt(theirRulesTotal)} ms ` +
      `(${fmt(theirRulesTotal / FILES, 3)} ms per file). Parsing alone: ${fmt(ours.parse / FILES, 2)} ms per file.`);
    print('');
    print('| Rule | Total | Per file |');
    print('| --- | ---: | ---: |');
    for (const [rule, ms] of ours.rules.filter(([id]) => id.startsWith('next-actions/'))) {
      print(`| \`${rule}\` | ${fmt(ms)} ms | ${fmt((ms / FILES) * 1000, 1)} µs |`);
    }
    print('');
    print('Scaling (time per file stays flat when nothing grows with the number of routes or imports):');
    print('');
    print('| Files | Control per file | With next-actions per file | In next-actions rules per file |');
    print('| ---: | ---: | ---: | ---: |');
    for (const row of scaling) {
      print(`| ${row.count} | ${fmt(row.control, 2)} ms | ${fmt(row.plugin, 2)} ms | ${fmt(row.rules * 1000, 1)} µs |`);
    }
    print('');
    const oneMs = median(cli.one.map(run => run.ms));
    const twoMs = median(cli.two.map(run => run.ms));
    const sameProblems = [...cli.one, ...cli.two, cold, warm].every(run => run.problems === cli.one[0].problems);
    print(`ESLint CLI on the ${FILES}-file app with \`configs.all\` (process start included): one thread ${fmt(oneMs / 1000, 2)} s, ` +
      `\`--concurrency 2\` ${fmt(twoMs / 1000, 2)} s (speed-up ${fmt(oneMs / twoMs, 2)}×); \`--cache\`: cold ${fmt(cold.ms / 1000, 2)} s, ` +
      `warm ${fmt(warm.ms / 1000, 2)} s. Every run reports the same ${cli.one[0].problems} problems: ${sameProblems ? 'yes' : 'NO'}.`);
    print('');
    print(`Editor latency: re-linting one ${editor.lines}-line Client Component in a warm ESLint instance (median of ${EDITOR_RUNS}): ` +
      `control ${fmt(editor.control, 2)} ms, with next-actions ${fmt(editor.plugin, 2)} ms (${fmt(editor.plugin - editor.control, 2)} ms added).`);
    console.log(out.join('\n'));
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

const corpusIndex = args.indexOf('--corpus');
if (corpusIndex === -1) {
  await synthetic();
} else {
  const from = process.env.INIT_CWD ?? process.cwd();
  const dirs = (args[corpusIndex + 1] ?? '').split(',').filter(Boolean).map(dir => path.resolve(from, dir));
  if (dirs.length === 0) throw new Error('--corpus takes a comma-separated list of app directories');
  const pairs = numberArg('--pairs', quick ? 3 : 9);
  const lints = numberArg('--lints', quick ? 4 : 20);
  const command = `npm run bench -- ${args.join(' ')}`;
  runCorpus({
    dirs,
    pairs,
    quick,
    lints,
    memoryNew: args.includes('--memory-new'),
    header: `Measured ${date} with \`${command}\`: ${versions} (load average ${fmt(os.loadavg()[0], 2)} when it started).`,
  });
}
