import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSurface, findNextRoot, ReportError } from './build.js';
import { type Change, diffSurfaces } from './diff.js';
import { type Format, FORMATS, formatSurface } from './format.js';
import type { Surface } from './model.js';
import { SettingsError } from '../settings.js';
import { packageVersion } from '../utils/create-rule.js';

const USAGE = `Usage: next-actions report [dir] [options]

Lists the server surface of a Next.js app: every Server Action and Route Handler, who calls it,
what it does, what it revalidates, its guard, and the findings of eslint-plugin-next-actions.

Options:
  --format <name>    text (default), markdown, json, sarif or html
  -o, --output <file>
                     write the report to a file instead of standard output
  --base <git-ref>   compare with the surface at that commit and report what changed
  --fail-on <list>   exit 1 when the report has any of: unguarded, findings, new-endpoints
                     (with --base, only what the change adds counts)
  -h, --help         show this help
  -v, --version      show the version
`;

const FAIL_ON = ['unguarded', 'findings', 'new-endpoints'] as const;
type FailOn = (typeof FAIL_ON)[number];

class UsageError extends Error {}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The app as it was at `ref`, extracted from git into a temporary folder; the work tree is not touched. */
function checkoutBase(root: string, ref: string): { dir: string; cleanup: () => void } {
  let top: string;
  try {
    top = git(root, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new ReportError(`--base needs a git repository, and ${root} is not inside one.`);
  }
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new ReportError(`git does not know the ref \`${ref}\` in ${top}.`);
  }
  const temp = mkdtempSync(path.join(os.tmpdir(), 'next-actions-base-'));
  const cleanup = () => rmSync(temp, { recursive: true, force: true });
  try {
    const archive = path.join(temp, 'base.tar');
    git(top, ['archive', '--format=tar', `--output=${archive}`, ref]);
    const tree = path.join(temp, 'tree');
    execFileSync('mkdir', ['-p', tree]);
    execFileSync('tar', ['-xf', archive, '-C', tree]);
    return { dir: path.join(tree, path.relative(top, root)), cleanup };
  } catch (error) {
    cleanup();
    throw new ReportError(`could not read \`${ref}\` from git: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

function progress(io: CliIo, enabled: boolean): ((done: number, total: number) => void) | undefined {
  if (!enabled) return undefined;
  return (done, total) => {
    io.stderr.write(`\rLinting ${done}/${total} files`);
    if (done === total) io.stderr.write('\r\u001B[K');
  };
}

function failures(surface: Surface, changes: readonly Change[] | undefined, base: Surface | undefined, failOn: readonly FailOn[]): string[] {
  const reasons: string[] = [];
  for (const condition of failOn) {
    if (condition === 'unguarded') {
      const count = changes ? changes.filter(change => change.unguarded && change.kind !== 'removed').length : surface.summary.unguarded.length;
      if (count > 0) reasons.push(`${count} ${changes ? 'changed or added ' : ''}endpoint(s) with privileged work and no guard`);
    } else if (condition === 'findings') {
      const known = new Set(base?.findings.map(finding => `${finding.file}\0${finding.ruleId}\0${finding.message}`) ?? []);
      const count = surface.findings.filter(finding => !known.has(`${finding.file}\0${finding.ruleId}\0${finding.message}`)).length;
      if (count > 0) reasons.push(`${count} ${base ? 'new ' : ''}finding(s)`);
    } else {
      const count = changes?.filter(change => change.kind === 'added').length ?? 0;
      if (count > 0) reasons.push(`${count} new endpoint(s)`);
    }
  }
  return reasons;
}

/** What the command reads and writes besides files: the process's streams and surroundings, or a test's. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Runs `next-actions …` and resolves to its exit code: 0, 1 for `--fail-on`, 2 for bad input. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ReportError || error instanceof SettingsError) {
      const line = error instanceof SettingsError ? error.message : `next-actions: ${error.message}`;
      io.stderr.write(`${line}\n${error instanceof UsageError ? 'Run `next-actions --help` for usage.\n' : ''}`);
      return 2;
    }
    throw error;
  }
}

async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string', short: 'o' },
        base: { type: 'string' },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${packageVersion}\n`);
    return 0;
  }
  const [command, dir = '.', ...extra] = positionals;
  if (command !== 'report') throw new UsageError(command === undefined ? 'missing command: the only command is `report`.' : `unknown command \`${command}\`: the only command is \`report\`.`);
  if (extra.length > 0) throw new UsageError(`one folder at most, got ${positionals.slice(1).join(', ')}.`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format \`${values.format}\`: use one of ${FORMATS.join(', ')}.`);
  const failOn = (values['fail-on'] ?? '').split(',').map(item => item.trim()).filter(Boolean);
  const unknown = failOn.find(item => !(FAIL_ON as readonly string[]).includes(item));
  if (unknown) throw new UsageError(`unknown --fail-on value \`${unknown}\`: use ${FAIL_ON.join(', ')}.`);
  if (failOn.includes('new-endpoints') && !values.base) throw new UsageError('--fail-on new-endpoints needs --base.');

  const cwd = io.cwd;
  const root = findNextRoot(path.resolve(cwd, dir));
  const showProgress = io.stderr.isTTY === true && !(format === 'json' && io.stdout.isTTY !== true);
  const surface = await buildSurface({ dir: root, cwd, onProgress: progress(io, showProgress) });
  let base: Surface | undefined;
  let changes: Change[] | undefined;
  if (values.base) {
    const checkout = checkoutBase(root, values.base);
    try {
      base = await buildSurface({ dir: checkout.dir, cwd: path.dirname(checkout.dir), onProgress: progress(io, showProgress) });
    } finally {
      checkout.cleanup();
    }
    changes = diffSurfaces(base, surface);
  }
  const color = format === 'text' && values.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const text = formatSurface(surface, format, { color, ...(changes ? { changes } : {}) });
  if (values.output) writeFileSync(path.resolve(cwd, values.output), text);
  else io.stdout.write(text);
  const reasons = failures(surface, changes, base, failOn as FailOn[]);
  if (reasons.length > 0) {
    io.stderr.write(`next-actions: failing because of --fail-on: ${reasons.join('; ')}.\n`);
    return 1;
  }
  return 0;
}

