/*
 * Every code block of docs/rules/<rule>.md is a test: it is linted with its rule alone, and an
 * example that does not do what its section says fails here, at its line in the doc.
 *
 * How a block is marked:
 * - Under a heading `❌ Incorrect` the rule must report at least once; under `✅ Correct` it must
 *   not report. The section ends at the next heading of the same or a higher level.
 * - `incorrect` or `correct` in the info string (```ts correct) marks a block outside those
 *   sections, such as an example in the text about an option.
 * - `not-linted` in the info string says a block is not an example: configuration, a shell
 *   command, output. Any other block fails, so a new example cannot go untested by accident.
 * - `filename=app/posts/actions.ts` in the info string is the file the example is linted as,
 *   relative to fixtures/docs, a small App Router app that holds the other files examples
 *   import or call. Without it the block is linted as its rule's default file below. When the
 *   block's first line is a label a reader sees (`// app/posts/page.tsx`, or followed by `:`),
 *   it must name the same file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import typescriptParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { fixturesDir, repoRoot } from './support/fixtures.js';

const docsApp = path.join(fixturesDir, 'docs');
const ruleIds = Object.keys(plugin.rules);

/** Where an example without `filename=` lives, without the extension its language gives it. */
const defaultFile: Record<string, string> = {
  'no-fetch-own-api': 'app/posts/post-form',
  'no-http-in-action': 'app/posts/actions',
  'no-parallel-actions': 'app/posts/publish-button',
  'no-query-action': 'app/users/actions',
  'no-redirect-in-try-catch': 'app/posts/actions',
  'no-server-only-action': 'app/actions/search',
  'no-webhook-action': 'app/billing/actions',
  'require-action-auth': 'app/posts/actions',
  'require-revalidate-after-mutation': 'app/posts/actions',
  'valid-revalidation-context': 'app/posts/actions',
  'valid-server-actions': 'app/posts/actions',
};

const extensions: Record<string, string> = { ts: '.ts', tsx: '.tsx', js: '.js', jsx: '.jsx' };

type Kind = 'incorrect' | 'correct';

interface CodeBlock {
  /** 1-based line of the opening fence in the doc. */
  line: number;
  lang: string;
  kind: Kind | 'not-linted' | undefined;
  filename: string | undefined;
  code: string;
  /** Info-string words this test does not know, reported rather than ignored. */
  unknown: string[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*$/;
const SECTION: [RegExp, Kind][] = [
  [/^❌\s*Incorrect\b/, 'incorrect'],
  [/^✅\s*Correct\b/, 'correct'],
];
/** `// app/posts/page.tsx` or `// app/posts/page.tsx: what it shows`: a file name a reader sees. */
const FILE_LABEL = /^\/\/\s*([\w@.()[\]/-]+\.[cm]?[jt]sx?)(?::.*)?$/;

function parseDoc(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let section: { kind: Kind; level: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const heading = HEADING.exec(lines[index]!);
    if (heading) {
      const level = heading[1]!.length;
      const kind = SECTION.find(([pattern]) => pattern.test(heading[2]!))?.[1];
      if (kind) section = { kind, level };
      else if (section && level <= section.level) section = undefined;
      continue;
    }
    const open = FENCE.exec(lines[index]!);
    if (!open) continue;
    const indent = open[1]!;
    const fence = open[2]!;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const close = FENCE.exec(lines[end]!);
      if (close && close[2]![0] === fence[0] && close[2]!.length >= fence.length && close[3]!.trim() === '') break;
      body.push(lines[end]!.startsWith(indent) ? lines[end]!.slice(indent.length) : lines[end]!.trimStart());
    }
    const [lang = '', ...words] = open[3]!.trim().split(/\s+/);
    const block: CodeBlock = { line: index + 1, lang, kind: section?.kind, filename: undefined, code: `${body.join('\n')}\n`, unknown: [] };
    for (const word of words) {
      if (word === 'incorrect' || word === 'correct' || word === 'not-linted') block.kind = word;
      else if (word.startsWith('filename=')) block.filename = word.slice('filename='.length);
      else block.unknown.push(word);
    }
    blocks.push(block);
    index = end;
  }
  return blocks;
}

const linter = new Linter({ cwd: docsApp });

function lint(ruleId: string, code: string, filename: string): Linter.LintMessage[] {
  return linter.verify(
    code,
    [
      {
        files: ['**/*.{js,jsx,ts,tsx}'],
        plugins: { 'next-actions': plugin },
        languageOptions: { parser: typescriptParser, parserOptions: { ecmaFeatures: { jsx: true } } },
        settings: { 'next-actions': { rootDir: docsApp } },
        rules: { [`next-actions/${ruleId}`]: 'error' },
      },
    ],
    path.join(docsApp, filename),
  );
}

function describeMessages(messages: Linter.LintMessage[]): string {
  return messages.map(message => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`).join('\n') || 'no reports';
}

describe.each(ruleIds)('docs/rules/%s.md', ruleId => {
  const doc = `docs/rules/${ruleId}.md`;
  const blocks = parseDoc(readFileSync(path.join(repoRoot, doc), 'utf8'));

  it('has at least one incorrect and one correct example', () => {
    expect(blocks.filter(block => block.kind === 'incorrect').length, `${doc} has no incorrect example`).toBeGreaterThan(0);
    expect(blocks.filter(block => block.kind === 'correct').length, `${doc} has no correct example`).toBeGreaterThan(0);
  });

  blocks.forEach((block, index) => {
    const where = `${doc}:${block.line}`;
    it(`block ${index + 1}, ${block.kind ?? 'unmarked'}, at ${where}`, () => {
      expect(block.unknown, `${where}: unknown info-string words`).toEqual([]);
      expect(block.kind, `${where}: mark the block (a ❌ Incorrect / ✅ Correct section, or correct, incorrect, not-linted in its info string)`).toBeDefined();
      if (block.kind === 'not-linted' || block.kind === undefined) return;
      const extension = extensions[block.lang];
      expect(extension, `${where}: an example is ts, tsx, js or jsx, not "${block.lang}"`).toBeDefined();
      const base = defaultFile[ruleId];
      expect(block.filename ?? base, `${where}: say filename= in the info string, or give ${ruleId} a default file in this test`).toBeDefined();
      const filename = block.filename ?? `${base}${extension}`;
      // The TypeScript parser reads JSX by the file's extension, so the language and the file must agree.
      expect(path.extname(filename), `${where}: a ${block.lang} example linted as ${filename}`).toBe(extension);
      const label = FILE_LABEL.exec(block.code.split('\n', 1)[0]!.trim());
      if (label) expect(filename, `${where}: the first line names ${label[1]}; say filename=${label[1]} in the info string`).toBe(label[1]);

      const messages = lint(ruleId, block.code, filename);
      expect(messages.filter(message => message.fatal), `${where} does not parse`).toEqual([]);
      const reports = messages.filter(message => message.ruleId === `next-actions/${ruleId}`);
      if (block.kind === 'incorrect') {
        expect(reports.length, `${where}: an incorrect example that ${ruleId} does not report (linted as ${filename})`).toBeGreaterThan(0);
      } else {
        expect(reports, `${where}: a correct example that ${ruleId} reports (linted as ${filename}):\n${describeMessages(reports)}`).toEqual([]);
      }
    });
  });
});
