// `npm run bench -- --corpus <appDir>[,<appDir>...]`: the plugin on real apps, against the targets of
// the README's "Real apps" section. Every lint runs in a child process (bench-worker.mjs) whose
// working directory is the app, one at a time; this module picks what to measure and prints the
// markdown. The usage is in bench.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(scripts, 'bench-worker.mjs');
const cli = path.join(scripts, 'bench-cli.mjs');
const cliConfig = path.join(scripts, 'bench-cli-config.mjs');

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value, digits = 1) => value.toFixed(digits);
const seconds = ms => `${fmt(ms / 1000, 2)} s`;
const plusPct = ratio => `${ratio >= 1 ? '+' : ''}${fmt((ratio - 1) * 100)} %`;
const mb = bytes => `${fmt(bytes / 1e6)} MB`;
const began = performance.now();
const log = message => process.stderr.write(`[${fmt((performance.now() - began) / 60000)} min] ${message}\n`);
const sumOf = (record, prefix) =>
  Object.entries(record).reduce((sum, [rule, ms]) => (rule.startsWith(prefix) ? sum + ms : sum), 0);

/** Runs a worker task in a fresh process in the app; `ms` is spawn to exit, as a CLI run is felt. */
function child(dir, args, nodeArgs = []) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...nodeArgs, worker, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`bench-worker ${args.join(' ')} failed in ${dir}:\n${run.stderr}`);
  return { ms, value: JSON.parse(run.stdout.trim().split('\n').at(-1)) };
}

function git(dir, ...args) {
  return spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout.trim();
}

/** The repository folder, and the app's folder inside it when the app is part of a monorepo. */
function appName(dir) {
  const top = git(dir, 'rev-parse', '--show-toplevel') || dir;
  const inside = path.relative(top, dir);
  return path.basename(top) + (inside ? `/${inside.split(path.sep).join('/')}` : '');
}

const directive = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use (client|server)\1/;
const segmentFile = /(?:^|\/)(?:page|layout|template|default|loading|error|not-found|route)\.[cm]?[jt]sx?$/;

/**
 * The file of the app with the given file-level directive whose line count is closest to `lines`.
 * A page or layout marked "use server" (some apps have them) is not the actions module an editor
 * re-lint of a "use server" file is meant to stand for.
 */
function pickFile(dir, files, kind, lines) {
  let best;
  for (const file of files) {
    if (kind === 'server' && segmentFile.test(file)) continue;
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (directive.exec(text)?.[2] !== kind) continue;
    const count = text.split('\n').length;
    if (!best || Math.abs(count - lines) < Math.abs(best.lines - lines)) best = { file, lines: count };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------

function ruleTime(dir, print) {
  log('  one run with both plugins, stats: true…');
  const { value: stats } = child(dir, ['stats']);
  const count = stats.files.length;
  const per1k = ms => seconds((ms * 1000) / count);
  const ours = sumOf(stats.rules, 'next-actions/');
  const theirs = sumOf(stats.rules, '@next/next/');
  print(`**Rule time**: one ESLint Node API run with both plugins on (the TypeScript parser for every file), \`stats: true\`; ` +
    `a rule's time includes its \`create()\`. Per 1,000 files: next-actions (\`configs.all\`) ${per1k(ours)}, ` +
    `@next/eslint-plugin-next (recommended) ${per1k(theirs)}, **ratio ${fmt(ours / theirs, 2)}×** (target: ≤ 1×); ` +
    `parsing ${per1k(stats.parse)}. ${stats.findings} next-actions findings.`);
  print('');
  print('| Rule | Per 1,000 files | Share of next-actions | Of the @next total (target: ≤ 33 %) |');
  print('| --- | ---: | ---: | ---: |');
  const rules = Object.entries(stats.rules).filter(([rule]) => rule.startsWith('next-actions/')).sort((a, b) => b[1] - a[1]);
  for (const [rule, ms] of rules) {
    print(`| \`${rule}\` | ${per1k(ms)} | ${fmt((ms / ours) * 100)} % | ${fmt((ms / theirs) * 100)} % |`);
  }
  print('');
  return stats.files;
}

function wallTime(dir, count, pairs, print) {
  log(`  ${pairs} pairs of cold lints (control, configs.all)…`);
  const runs = { control: [], ours: [] };
  const ratios = [];
  for (let pair = 0; pair < pairs; pair++) {
    const times = {};
    for (const name of pair % 2 ? ['ours', 'control'] : ['control', 'ours']) {
      const run = child(dir, ['lint', name]);
      if (run.value.files !== count) throw new Error(`${name} linted ${run.value.files} files, the stats run ${count}`);
      runs[name].push(run);
      times[name] = run.ms;
    }
    ratios.push(times.ours / times.control);
  }
  const processMs = name => median(runs[name].map(run => run.ms));
  const lintMs = name => median(runs[name].map(run => run.value.ms));
  print(`**Wall time against the control** (the same files and parser, \`no-debugger\` as the only rule; the control's process ` +
    `never loads the plugin): each lint in a fresh Node process, cold as a CLI run, timed from spawn to exit; ${pairs} pairs, ` +
    `the order alternating. Control ${seconds(processMs('control'))}, \`configs.all\` ${seconds(processMs('ours'))} (medians); ` +
    `**median of the paired ratios ${plusPct(median(ratios))}** (pairs from ${plusPct(Math.min(...ratios))} to ${plusPct(Math.max(...ratios))}). ` +
    `\`lintFiles\` alone: control ${seconds(lintMs('control'))}, \`configs.all\` ${seconds(lintMs('ours'))}.`);
  print('');
}

function editor(dir, files, runs, print) {
  const picks = [pickFile(dir, files, 'client', 200), pickFile(dir, files, 'server', 300)];
  const labels = ['Client Component (≈200 lines)', '"use server" module (≈300 lines)'];
  const found = picks.filter(Boolean);
  log(`  editor re-lint of ${found.map(pick => pick.file).join(', ')}…`);
  const { value } = child(dir, ['editor', String(runs), ...found.map(pick => pick.file)]);
  print(`**Warm editor re-lint**: \`lintText\` of one file in a warm ESLint instance per config (20 warm-up runs, then the median ` +
    `of ${runs} alternating runs):`);
  print('');
  print('| File | Lines | Control | `configs.all` | Added |');
  print('| --- | ---: | ---: | ---: | ---: |');
  picks.forEach((pick, index) => {
    if (!pick) {
      print(`| ${labels[index]}: none in this app | | | | |`);
      return;
    }
    const times = value[found.indexOf(pick)];
    print(`| ${labels[index]}: \`${pick.file}\` | ${pick.lines} | ${fmt(times.control, 2)} ms | ${fmt(times.ours, 2)} ms | ` +
      `**${fmt(times.ours - times.control, 2)} ms** |`);
  });
  print('');
}

/** The ESLint CLI on the app with one of bench-config.mjs's configs, through bench-cli.mjs for its CPU time. */
function eslintCli(dir, config, concurrency) {
  const cpuFile = path.join(os.tmpdir(), `next-actions-bench-cpu-${process.pid}`);
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [cli, '.', '--config', cliConfig, '--format', 'json', '--stats', '--concurrency', concurrency],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, BENCH_CONFIG: config, BENCH_CPU_FILE: cpuFile } },
  );
  const ms = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint (${config}, --concurrency ${concurrency}) failed in ${dir}:\n${run.stderr}`);
  const cpu = Number(readFileSync(cpuFile, 'utf8'));
  rmSync(cpuFile);
  const results = JSON.parse(run.stdout);
  let rules = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      for (const [rule, time] of Object.entries(pass.rules ?? {})) if (rule.startsWith('next-actions/')) rules += time.total;
    }
  }
  const messages = results
    .flatMap(result => result.messages.map(m => `${path.relative(dir, result.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))
    .sort();
  return { ms, cpu, rules, messages, notice: run.stderr.trim() };
}

function concurrency(dir, print) {
  log('  ESLint CLI, control and configs.all, --concurrency off and 4…');
  const runs = {};
  for (const kind of ['control off', 'ours off', 'ours 4', 'control 4']) {
    const [config, setting] = kind.split(' ');
    runs[kind] = eslintCli(dir, config, setting);
  }
  const at = (kind, key) => runs[kind][key];
  const reference = runs['ours off'].messages;
  const differing = runs['ours 4'].messages.join('\n') !== reference.join('\n');
  const addedOff = at('ours off', 'cpu') - at('control off', 'cpu');
  const added4 = at('ours 4', 'cpu') - at('control 4', 'cpu');
  print(`**\`--concurrency 4\`**: the ESLint CLI with \`--config\` (\`configs.all\` alone, or the control), process start ` +
    `included, one run each. CPU time is the whole process's, workers included: unlike wall time, it does not grow when ` +
    `four workers share ${os.cpus().length} cores. The rule time is ESLint's \`--stats\` summed over the files, whichever worker linted them.`);
  print('');
  print('| `--concurrency` | Wall, control | Wall, `configs.all` | CPU, control | CPU, `configs.all` | CPU next-actions adds | next-actions rules |');
  print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [setting, added] of [['off', addedOff], ['4', added4]]) {
    print(`| ${setting} | ${seconds(at(`control ${setting}`, 'ms'))} | ${seconds(at(`ours ${setting}`, 'ms'))} | ` +
      `${seconds(at(`control ${setting}`, 'cpu'))} | ${seconds(at(`ours ${setting}`, 'cpu'))} | ${seconds(added)} | ${seconds(at(`ours ${setting}`, 'rules'))} |`);
  }
  print('');
  const growth = added4 / addedOff;
  // Each worker is a thread with its own copy of the plugin's per-process caches, which start cold.
  // One and a half: one run each of four configs on a shared machine does not vary by that much.
  const verdict = growth > 1.5
    ? `cold cost multiplies: each worker fills the plugin's per-process caches (route table, imported modules) again`
    : 'cold cost does not multiply';
  // Only ESLint's own verdict on the workers; the plugin's warnings about the app are not the point here.
  const notice = /ESLintPoorConcurrencyWarning: .*/.exec(runs['ours 4'].notice)?.[0];
  const ours = reference.filter(message => message.includes(' next-actions/')).length;
  print(`Same findings with and without workers (${reference.length} messages, ${ours} of them next-actions', compared message by message): ` +
    `${differing ? `**NO** (first difference: \`${runs['ours 4'].messages.find((m, i) => m !== reference[i]) ?? 'fewer messages'}\`)` : 'yes'}. ` +
    `With 4 workers the CPU time next-actions adds is ×${fmt(growth, 2)} what it is in one thread: ${verdict}.` +
    `${notice ? ` ESLint: “${notice}”` : ''}`);
  print('');
}

function memory(dir, lints, withNew, print) {
  log(`  memory: ${lints} lints with one instance${withNew ? `, ${lints} with a new instance each` : ''}…`);
  const series = [['One ESLint instance', 'same']];
  if (withNew) series.push(['A new ESLint instance each time', 'new']);
  const heaps = series.map(([, mode]) => child(dir, ['memory', String(lints), mode], ['--expose-gc']).value);
  const checkpoints = [...new Set([1, Math.ceil(lints / 2), lints])];
  print(`**Memory**: \`configs.all\` linting the app ${lints} times in one process, \`heapUsed\` after a forced GC (flat = no growth):`);
  print('');
  print(`| After lint | ${series.map(([label]) => label).join(' | ')} |`);
  print(`| ---: | ${series.map(() => '---:').join(' | ')} |`);
  for (const lint of checkpoints) print(`| ${lint} | ${heaps.map(heap => mb(heap[lint - 1])).join(' | ')} |`);
  print(`| growth 1 → ${lints} | ${heaps.map(heap => mb(heap[lints - 1] - heap[0])).join(' | ')} |`);
  print('');
}

/**
 * @param {{ dirs: string[], pairs: number, quick: boolean, lints: number, memoryNew: boolean, header: string }} options
 * `header` says what was run with which versions; each app's section is printed when it is done.
 */
export function runCorpus({ dirs, pairs, quick, lints, memoryNew, header }) {
  console.log(header);
  console.log('');
  for (const dir of dirs) {
    const started = performance.now();
    const name = appName(dir);
    log(`${name}…`);
    const out = [];
    const print = line => out.push(line);
    const load = os.loadavg()[0];
    const files = ruleTime(dir, print);
    out.unshift(
      `#### ${name}: \`${git(dir, 'rev-parse', '--short', 'HEAD')}\` (committed ${git(dir, 'log', '-1', '--format=%cs')}), ${files.length} files`,
      '',
      `Load average ${fmt(load, 2)} when this app started.`,
      '',
    );
    wallTime(dir, files.length, pairs, print);
    editor(dir, files, quick ? 40 : 150, print);
    concurrency(dir, print);
    memory(dir, lints, memoryNew, print);
    print(`Load average ${fmt(os.loadavg()[0], 2)} when it ended; the app took ${fmt((performance.now() - started) / 60000)} min to measure.`);
    print('');
    console.log(out.join('\n'));
  }
}
