import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { fixturesDir } from '../support/fixtures.js';
import { compileWithNext, type NextVerdict, nextRuntimeError, nextVersion } from './next-compiler.js';

/*
 * Parity with the Next.js compiler: every fixture of `valid-server-actions` (plus the cases in
 * cases.txt) goes through Next's own SWC transform, on the layers `next build` compiles it for.
 * The rule must report something that fails the build exactly when Next rejects the file, quote
 * Next's error near the line Next points at, and only call an export a runtime crash when Next
 * compiles it and validates it when the module loads. A "use server" file is also checked one
 * export at a time, because Next stops at the first bad export of a file.
 */

const RULE = 'valid-server-actions';
const projectRoot = path.join(fixturesDir, RULE);

type Claim = 'build' | 'runtime' | 'advice';

/** What each report of the rule claims; a new messageId must be classified here. */
const claims: Record<string, Claim> = {
  syncExport: 'build',
  valueExportBuild: 'build',
  reexport: 'build',
  syncInlineAction: 'build',
  forbiddenExpression: 'build',
  inlineActionInClientComponent: 'build',
  instanceMethodAction: 'build',
  clientAndServer: 'build',
  serverAndCache: 'build',
  misplacedDirective: 'build',
  wrappedDirective: 'build',
  misspelledDirective: 'build',
  misplacedClientDirective: 'build',
  clientAndCache: 'build',
  valueExportRuntime: 'runtime',
  // Documented exceptions: reported although Next.js compiles the file, and the message says so.
  // A Route Handler with "use server" builds while it exports only handlers, but its handlers
  // become action references; the build breaks once a config export is added.
  serverDirectiveInRoute: 'advice',
  // A backtick string is never a directive, so Next.js silently ignores it.
  backtickDirective: 'advice',
  // Next.js ignores a misspelled "use client" and builds the file as a Server Component; the
  // message says that, not that the build fails.
  misspelledClientDirective: 'advice',
};

/**
 * Cases where the rule and Next.js disagree today, each a rule bug waiting for a fix. The test
 * asserts they still disagree, so a fix shows up here as a failure: then delete the entry.
 */
const knownDisagreements: Record<string, string> = {
  'cases/misplaced-client.tsx':
    'Next.js also reports the `useState` import, a consequence of the file not being a Client Component; the rule reports the cause ("The "use client" directive must be placed before other expressions.")',
  'cases/use-cache-function-this.ts':
    'not reported: `this` in a "use cache" function fails the build ("\"use cache\" functions cannot use `this`."); the rule covers Server Actions, and "use cache" functions are not actions',
};

interface Unit {
  label: string;
  filename: string;
  source: string;
}

const EXTENSIONS = /\.(?:[cm]?[jt]sx?)$/;

function fixtureFiles(): Unit[] {
  const found: Unit[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (EXTENSIONS.test(entry.name)) {
        found.push({ label: path.relative(projectRoot, full), filename: full, source: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(projectRoot);
  return found;
}

function extraCases(): Unit[] {
  const text = readFileSync(new URL('cases.txt', import.meta.url), 'utf8');
  return text
    .split(/^\/\/ === /m)
    .slice(1)
    .map(chunk => {
      const newline = chunk.indexOf('\n');
      const label = chunk.slice(0, newline).trim();
      return { label, filename: path.join(projectRoot, label), source: chunk.slice(newline + 1) };
    });
}

function isUseServerModule(program: TSESTree.Program): boolean {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || statement.directive === undefined) return false;
    if (statement.directive === 'use server') return true;
  }
  return false;
}

/** Replaces a range with spaces, keeping line breaks so that lines stay where they were. */
function blank(source: string, [start, end]: [number, number]): string {
  return source.slice(0, start) + source.slice(start, end).replace(/[^\n]/g, ' ') + source.slice(end);
}

/**
 * What an export statement leaves behind when it is no longer an export: declarations keep
 * their binding (only `export`/`export default` goes), everything else goes entirely.
 */
function unexportRange(statement: TSESTree.ProgramStatement): [number, number] | undefined {
  if (statement.type === 'ExportNamedDeclaration') {
    return statement.declaration ? [statement.range[0], statement.declaration.range[0]] : statement.range;
  }
  if (statement.type === 'ExportDefaultDeclaration') {
    const { declaration } = statement;
    const named =
      (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id !== null;
    return named ? [statement.range[0], declaration.range[0]] : statement.range;
  }
  if (statement.type === 'ExportAllDeclaration') return statement.range;
  return undefined;
}

function isTypeOnlyExport(statement: TSESTree.ProgramStatement): boolean {
  if (statement.type !== 'ExportNamedDeclaration') return false;
  const { declaration } = statement;
  return (
    statement.exportKind === 'type' ||
    (declaration !== null &&
      (declaration.type === 'TSTypeAliasDeclaration' || declaration.type === 'TSInterfaceDeclaration' || ('declare' in declaration && declaration.declare === true)))
  );
}

/** A "use server" file, once per export statement, with every other export statement undone. */
function isolatedExports(unit: Unit): Unit[] {
  const program = parse(unit.source, { jsx: unit.filename.endsWith('x'), range: true, loc: true });
  if (!isUseServerModule(program)) return [];
  const exports = program.body.filter(statement => unexportRange(statement) && !isTypeOnlyExport(statement));
  if (exports.length < 2) return [];
  return exports.map(kept => ({
    label: `${unit.label} @ line ${kept.loc.start.line}`,
    filename: unit.filename,
    source: exports.filter(other => other !== kept).reduceRight((text, other) => blank(text, unexportRange(other)!), unit.source),
  }));
}

const linter = new Linter({ cwd: projectRoot });
const config: Linter.Config[] = [{ ...plugin.configs.all, rules: { [`next-actions/${RULE}`]: 'error' } }];

function lint(unit: Unit): Linter.LintMessage[] {
  return linter.verify(unit.source, config, unit.filename);
}

/** Next.js messages carry a stray closing quote (`…directive name."`); quotes must pair up. */
function firstSentence(message: string): string {
  const sentence = /^.*?[.?!](?=\s|"?$)(?:"(?=\s*$))?/.exec(message)?.[0] ?? message;
  return sentence.split('"').length % 2 === 0 ? sentence.replace(/"$/, '') : sentence;
}

const sampleOfType: Record<string, unknown> = {
  object: {},
  undefined,
  string: '',
  number: 0,
  boolean: false,
  bigint: 0n,
  symbol: Symbol('sample'),
  function: () => {},
};

function describeNext(verdict: NextVerdict): string {
  return verdict.accepted ? 'compiles' : verdict.diagnostics.map(d => `${d.layer}:${d.line}: ${d.message}`).join(' | ');
}

/** The first way the rule and Next.js disagree on a unit, or undefined when they agree. */
function disagreement(unit: Unit, messages: Linter.LintMessage[], next: NextVerdict): string | undefined {
  const rule = messages.map(message => `${message.line}:${message.messageId}`).join(', ') || 'nothing';
  const build = messages.filter(message => claims[message.messageId!] === 'build');
  if (next.accepted && build.length > 0) {
    return `Next.js compiles it, the rule says the build fails (${rule})`;
  }
  if (!next.accepted && build.length === 0) {
    return `Next.js rejects it (${describeNext(next)}), the rule reports no build failure (${rule})`;
  }
  for (const diagnostic of next.diagnostics) {
    const quoted = firstSentence(diagnostic.message);
    const near = build.filter(message => Math.abs(message.line - diagnostic.line) <= 1);
    if (!near.some(message => message.message.includes(quoted))) {
      return `Next.js says "${quoted}" at line ${diagnostic.line}; the rule near that line says: ${near.map(message => `${message.line}: ${message.message}`).join(' | ') || 'nothing'}`;
    }
  }
  for (const message of messages.filter(candidate => claims[candidate.messageId!] === 'runtime')) {
    if (!next.accepted) continue;
    if (!next.serverCode?.includes('ensureServerEntryExports(')) {
      return `the rule predicts a crash at load (line ${message.line}), but Next.js does not validate this module's exports`;
    }
    const typeOf = /found (\w+)\./.exec(message.message)?.[1] ?? '';
    const runtimeError = typeOf in sampleOfType ? nextRuntimeError(sampleOfType[typeOf]) : undefined;
    if (runtimeError === undefined || !message.message.includes(runtimeError)) {
      return `the rule quotes a runtime error for \`${typeOf}\` that Next.js does not throw: ${message.message}`;
    }
  }
  return undefined;
}

const fixtures = fixtureFiles();
const files = [...fixtures, ...extraCases()];
const units = files.flatMap(file => [file, ...isolatedExports(file)]);

describe(`${RULE} agrees with the Next.js ${nextVersion} compiler`, () => {
  it('checks every fixture of the rule', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(knownDisagreements).filter(label => !units.some(unit => unit.label === label))).toEqual([]);
  });

  it.each(units.map(unit => [unit.label, unit] as const))('%s', (label, unit) => {
    const messages = lint(unit);
    expect(messages.filter(message => message.fatal)).toEqual([]);
    const unclassified = messages.filter(message => !(message.messageId! in claims)).map(message => message.messageId);
    expect(unclassified, 'classify every messageId of the rule in `claims`').toEqual([]);

    const problem = disagreement(unit, messages, compileWithNext(unit.source, unit.filename, projectRoot));
    if (label in knownDisagreements) {
      expect(problem, `${label} agrees with Next.js now: remove it from knownDisagreements`).toBeDefined();
    } else if (problem) {
      expect.fail(`${label}: ${problem}`);
    }
  });
});
