// One measurement of `npm run bench -- --corpus`, in a process of its own whose working directory
// is the app: the plugin's per-process caches (route table, parsed modules, tsconfig) start cold
// as in a CLI run, and what the plugin resolves against the working directory resolves as it
// would for the app's own `eslint` run. Prints one line of JSON on stdout.
//   node bench-worker.mjs stats               both plugins in one run with `stats: true`
//   node bench-worker.mjs lint control|ours   one lint of the app, timed
//   node bench-worker.mjs editor <runs> <file>...   warm `lintText` medians, control and ours
//   node --expose-gc bench-worker.mjs memory <lints> same|new   heap after each forced GC
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { benchConfig as config } from './bench-config.mjs';

const [task, ...rest] = process.argv.slice(2);
const dir = process.cwd();

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function lint(name, stats = false) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: await config(name), cache: false, stats });
  const started = performance.now();
  const results = await eslint.lintFiles(['.']);
  return { ms: performance.now() - started, results };
}

const tasks = {
  async stats() {
    const { ms, results } = await lint('both', true);
    const rules = {};
    let parse = 0;
    for (const result of results) {
      for (const pass of result.stats?.times.passes ?? []) {
        parse += pass.parse?.total ?? 0;
        for (const [rule, time] of Object.entries(pass.rules ?? {})) rules[rule] = (rules[rule] ?? 0) + time.total;
      }
    }
    const findings = results.reduce((sum, result) => sum + result.messages.filter(m => m.ruleId?.startsWith('next-actions/')).length, 0);
    return { ms, parse, rules, findings, files: results.map(result => path.relative(dir, result.filePath)) };
  },

  async lint([name]) {
    const { ms, results } = await lint(name);
    return { ms, files: results.length, problems: results.reduce((sum, result) => sum + result.messages.length, 0) };
  },

  async editor([runs, ...targets]) {
    const names = ['control', 'ours'];
    const instances = {};
    for (const name of names) {
      instances[name] = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: await config(name) });
    }
    const out = [];
    for (const target of targets) {
      const filePath = path.resolve(dir, target);
      const text = readFileSync(filePath, 'utf8');
      const times = { control: [], ours: [] };
      // The warm-up fills what an editor's ESLint server has filled by the time someone types.
      for (let run = 0; run < 20; run++) for (const name of names) await instances[name].lintText(text, { filePath });
      for (let run = 0; run < Number(runs); run++) {
        for (const name of run % 2 ? [...names].reverse() : names) {
          const started = performance.now();
          await instances[name].lintText(text, { filePath });
          times[name].push(performance.now() - started);
        }
      }
      out.push({ file: target, control: median(times.control), ours: median(times.ours) });
    }
    return out;
  },

  async memory([lints, mode]) {
    const overrideConfig = await config('ours');
    const create = () => new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig, cache: false });
    const shared = create();
    const heap = [];
    for (let run = 0; run < Number(lints); run++) {
      await (mode === 'same' ? shared : create()).lintFiles(['.']);
      // Twice: the first collection can leave objects that only a second one frees.
      globalThis.gc();
      globalThis.gc();
      heap.push(process.memoryUsage().heapUsed);
    }
    return heap;
  },
};

if (!tasks[task]) throw new Error(`Unknown task ${task}`);
console.log(JSON.stringify(await tasks[task](rest)));
