import path from 'node:path';
import fc from 'fast-check';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { fixturesDir } from '../support/fixtures.js';

/*
 * Property test: generated Next.js files (Server Action modules, pages with inline actions,
 * Client Components, Route Handlers) with exports of every kind, directives in every position
 * and spelling, nested functions and odd syntax. For every rule, alone and all together: no
 * exception, every fix and every suggestion leaves code that parses, and fixing is stable
 * (a second `--fix` pass changes nothing). PROPERTY_RUNS and PROPERTY_SEED widen or replay it.
 */

const app = path.join(fixturesDir, 'next-app');
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 120);
const SEED = Number(process.env.PROPERTY_SEED ?? 20_260_512);

interface Flavour {
  filename: string;
  jsx: boolean;
  ts: boolean;
}

const flavours: Flavour[] = [
  'app/posts/actions.ts',
  'app/posts/page.tsx',
  'app/posts/[id]/edit/form.tsx',
  'app/(shop)/cart/actions.js',
  'app/components/checkout.jsx',
  'app/api/posts/route.ts',
  'app/api/webhooks/stripe/route.js',
  'app/_lib/mutations.ts',
  'lib/actions.mts',
  'pages/api/legacy.ts',
  'middleware.ts',
].map(filename => ({ filename, jsx: /x$/.test(filename), ts: /\.[cm]?tsx?$/.test(filename) }));

const names = fc.constantFrom('createPost', 'deletePost', 'save', 'load', 'handler', 'POST', 'GET', 'submit', 'run');

const directives = fc.constantFrom(
  "'use server';",
  '"use server"',
  "'use client';",
  "'use cache';",
  "'use cache: remote';",
  "'use strict';",
  "'use sever';",
  "'use-server';",
  "'use server;';",
  "'use action';",
  "'Use Server';",
  "'use clinet';",
  "'use cache:remote';",
  "('use server');",
  '`use server`;',
  "'use\\x20server';",
  "'use server' + '';",
  "'';",
);

const imports = fc.constantFrom(
  "import { createPost, deletePost } from '@/app/posts/actions';",
  "import { revalidatePath, revalidateTag, updateTag, refresh } from 'next/cache';",
  "import { redirect } from 'next/navigation';",
  "import { cookies, headers } from 'next/headers';",
  "import { NextResponse, after } from 'next/server';",
  "import { db } from '@/lib/db';",
  "import Stripe from 'stripe';",
  "import { startTransition, useTransition } from 'react';",
  "import { auth } from '@/auth';",
  "import * as actions from './actions';",
  "import save from './save';",
);

const typeImports = fc.constantFrom("import type { Post } from './types';", "import { type Session } from '@/auth';");

const comments = fc.constantFrom('// A comment.', '/* block */', '/** @file posts */', '// eslint-disable-next-line no-console');

const values = fc.constantFrom(
  '1',
  "'posts'",
  '`template`',
  '-1',
  'true',
  'null',
  'undefined',
  'void 0',
  '{}',
  '{ message: "" }',
  '[]',
  'z.object({ title: z.string() })',
  'new Map()',
  'class {}',
  'function () {}',
  '(() => {})',
  'createPost',
  'limit',
  'withAuth(async (id) => id)',
  'actionClient.action(async ({ parsedInput }) => parsedInput)',
  'cond ? async () => {} : async () => {}',
  'await load()',
  '{ async run() {} }',
);

/** Statements that need no nesting; `ACTION` is replaced by an action name. */
const leaves = fc.constantFrom(
  'await db.post.create({ data: { title } });',
  'await db.post.findMany();',
  'const posts = await db.post.findMany({ where: { published: true } });',
  'await db.post.update({ where: { id }, data: {} }).then(() => revalidatePath("/"));',
  "revalidatePath('/posts');",
  "revalidateTag('posts', 'max');",
  "updateTag('posts');",
  "redirect('/posts');",
  'refresh();',
  'const session = await auth();',
  "if (!session) throw new Error('Unauthorized');",
  "const res = await fetch('/api/posts', { method: 'POST', body: JSON.stringify({ title }) });",
  'await fetch(`/api/posts/${id}`, { method: "DELETE" });',
  "await fetch(new URL('/api/comments', base), { method: 'PUT' });",
  "await fetch('https://api.example.com/posts');",
  'return Response.json({ ok: true });',
  'return new Response(null, { status: 401 });',
  "return NextResponse.json({ error: 'x' }, { status: 400 });",
  "const key = (await headers()).get('x-api-key');",
  "(await cookies()).set('seen', '1');",
  'const event = stripe.webhooks.constructEvent(body, signature, secret);',
  'await Promise.all([createPost(formData), deletePost(id)]);',
  'await Promise.allSettled([ACTION(1), ACTION(2)]);',
  'void createPost(formData); void deletePost(id);',
  '[1, 2].forEach(id => ACTION(id));',
  'return this;',
  'return arguments.length;',
  'return { arguments };',
  'const self = () => this;',
  'var stack = stack || []; stack.push(1);',
  'let a = b, b = a; a.create({}); b.delete();',
  'const db = db; await db.post.create({});',
  'x ||= await load();',
  'obj?.a?.b?.(1);',
  'const { a = 1, ...rest } = obj ?? {};',
  'label: for (const x of [1]) { if (x) break label; }',
  'for await (const chunk of stream) void chunk;',
  'try { await ACTION(); } catch { return { error: true }; } finally { revalidatePath("/"); }',
  'await sql`insert into posts values (${title})`;',
  'await prisma.$transaction([db.post.delete({ where: { id } })]);',
  'after(() => ACTION());',
  'return;',
  "throw new Error('x');",
  ';',
  'debugger;',
);

function statements(depth: number, flavour: Flavour): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(leaves, names).map(([text, name]) => text.replaceAll('ACTION', name)) },
    { weight: 2, arbitrary: directives },
  );
  if (depth === 0) return fc.array(leaf, { maxLength: 4 }).map(lines => lines.join('\n'));
  const inner = statements(depth - 1, flavour);
  const param = flavour.ts ? 'formData: FormData' : 'formData';
  const nested = fc.oneof(
    fc.tuple(names, inner).map(([name, body]) => `async function ${name}(${param}) {\n${body}\n}`),
    fc.tuple(names, inner).map(([name, body]) => `function ${name}() {\n${body}\n}`),
    fc.tuple(names, inner).map(([name, body]) => `const ${name} = async () => {\n${body}\n};`),
    fc.tuple(names, directives).map(([name, directive]) => `const ${name} = async () => ${directive.replace(/;$/, '')};`),
    fc.tuple(inner, inner).map(([a, b]) => `if (cond) {\n${a}\n} else {\n${b}\n}`),
    fc.tuple(inner, inner).map(([a, b]) => `class Store {\n  async save() {\n${a}\n}\n  static async load() {\n${b}\n}\n}`),
    inner.map(body => `const handlers = { async submit() {\n${body}\n}, get value() { return 1; } };`),
    inner.map(body => `startTransition(async () => {\n${body}\n});`),
    ...(flavour.jsx
      ? [
          fc.tuple(names, inner).map(
            ([name, body]) =>
              `return (\n  <form action={async (${param}) => {\n${body}\n}}>\n    <button formAction={${name}} onClick={() => { ${name}(); ${name}(); }} />\n  </form>\n);`,
          ),
        ]
      : []),
  );
  return fc.array(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: nested }), { maxLength: 4 }).map(lines => lines.join('\n'));
}

function topLevel(flavour: Flavour): fc.Arbitrary<string> {
  const body = statements(2, flavour);
  const param = flavour.ts ? 'formData: FormData' : 'formData';
  const request = flavour.ts ? 'request: Request' : 'request';
  return fc.oneof(
    fc.tuple(names, body).map(([name, text]) => `export async function ${name}(${param}) {\n${text}\n}`),
    fc.tuple(names, body).map(([name, text]) => `export function ${name}() {\n${text}\n}`),
    fc.tuple(names, body).map(([name, text]) => `export const ${name} = async (id${flavour.ts ? ': string' : ''}) => {\n${text}\n};`),
    fc.tuple(names, values).map(([name, value]) => `export const ${name} = () => ${value};`),
    fc.tuple(names, values).map(([name, value]) => `export const ${name} = ${value};`),
    fc.tuple(fc.option(names), body).map(([name, text]) => `export default async function ${name ?? ''}() {\n${text}\n}`),
    body.map(text => `export default function Page() {\n${text}\n}`),
    values.map(value => `export default ${value};`),
    names.map(name => `export { ${name} };`),
    names.map(name => `export { ${name} as renamed };`),
    fc.constantFrom("export * from './more';", "export { publish } from './publish';", "export * as more from './more';"),
    fc.tuple(names, body).map(([name, text]) => `async function ${name}() {\n${text}\n}`),
    fc.tuple(names, body).map(([name, text]) => `const ${name} = async () => {\n${text}\n};`),
    body.map(text => `export async function POST(${request}) {\n${text}\n}`),
    body.map(text => `export async function GET() {\n${text}\n}`),
    fc.constantFrom("export const dynamic = 'force-dynamic';", 'export const revalidate = 60;', 'export let pending;'),
    body.map(text => `export class Repository {\n  async save() {\n${text}\n}\n}`),
    ...(flavour.ts
      ? [fc.constantFrom('export type State = { message: string };', 'export interface Props {}', 'export enum Status { Draft }')]
      : []),
    ...(flavour.jsx
      ? [
          fc.tuple(names, body).map(
            ([name, text]) =>
              `export function Form() {\n  const [pending, start] = useTransition();\n  return <button disabled={pending} onClick={() => start(async () => {\n${text}\n})}>{${name}.name}</button>;\n}`,
          ),
        ]
      : []),
    directives,
    imports,
    comments,
  );
}

interface Style {
  eol: '\n' | '\r\n' | '\r';
  semicolons: boolean;
}

const styles = fc.record({ eol: fc.constantFrom<Style['eol']>('\n', '\n', '\r\n', '\r'), semicolons: fc.boolean() });

/** The file in another style: line endings, and without the semicolons that end lines (a file that no longer parses is skipped). */
function restyle(code: string, style: Style): string {
  const lines = code.split('\n').map(line => (style.semicolons ? line : line.replace(/;(\s*)$/, '$1')));
  return lines.join(style.eol);
}

/** Text that a fix inserted with another line ending than the file's. */
function foreignLineBreak(output: string, eol: Style['eol']): boolean {
  if (eol === '\n') return /\r/.test(output);
  if (eol === '\r') return /\n/.test(output);
  return /\r(?!\n)|(?<!\r)\n/.test(output);
}

const files = fc.constantFrom(...flavours).chain(flavour =>
  fc
    .record({
      hashbang: fc.boolean(),
      prologue: fc.array(fc.oneof(directives, comments, typeImports), { maxLength: 3 }),
      imports: fc.array(imports, { maxLength: 3 }),
      body: fc.array(topLevel(flavour), { minLength: 1, maxLength: 5 }),
    })
    .chain(parts => fc.record({ parts: fc.constant(parts), style: styles }))
    .map(({ parts, style }) => ({
      filename: path.join(app, flavour.filename),
      code: restyle([parts.hashbang ? '#!/usr/bin/env node' : '', ...parts.prologue, ...parts.imports, ...parts.body].join('\n') + '\n', style),
      style,
    })),
);

const linter = new Linter({ cwd: app });
const ruleIds = Object.keys(plugin.rules);
const onlyParser: Linter.Config[] = [{ ...plugin.configs.all, rules: {} }];

function configFor(ruleId: string | undefined): Linter.Config[] {
  return [ruleId ? { ...plugin.configs.all, rules: { [`next-actions/${ruleId}`]: 'error' } } : plugin.configs.all];
}

function parseError(code: string, filename: string): string | undefined {
  return linter.verify(code, onlyParser, filename).find(message => message.fatal)?.message;
}

function applySuggestion(code: string, fix: { range: [number, number]; text: string }): string {
  return code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
}

const stats = { files: 0, parsed: 0, findings: 0, fixes: 0, suggestions: 0 };

/** Throws with the rule and the code when any of the properties does not hold. */
function check({ code, filename, style }: { code: string; filename: string; style: Style }): void {
  stats.files++;
  if (parseError(code, filename)) return;
  stats.parsed++;
  for (const ruleId of [...ruleIds, undefined]) {
    const label = ruleId ?? 'configs.all';
    const config = configFor(ruleId);
    let messages: Linter.LintMessage[];
    try {
      messages = linter.verify(code, config, filename);
    } catch (error) {
      throw new Error(`${label} throws on ${path.relative(app, filename)}`, { cause: error });
    }
    stats.findings += messages.length;
    for (const message of messages) {
      for (const suggestion of message.suggestions ?? []) {
        stats.suggestions++;
        const output = applySuggestion(code, suggestion.fix);
        const error = parseError(output, filename);
        if (error) throw new Error(`${label}: suggestion "${suggestion.desc}" breaks the code: ${error}\n--- output ---\n${output}`);
        if (foreignLineBreak(output, style.eol)) throw new Error(`${label}: suggestion "${suggestion.desc}" mixes line endings\n--- output ---\n${JSON.stringify(output)}`);
      }
    }
    const fixed = linter.verifyAndFix(code, config, { filename });
    if (!fixed.fixed) continue;
    stats.fixes++;
    const error = parseError(fixed.output, filename);
    if (error) throw new Error(`${label}: --fix breaks the code: ${error}\n--- output ---\n${fixed.output}`);
    if (foreignLineBreak(fixed.output, style.eol)) throw new Error(`${label}: --fix mixes line endings\n--- output ---\n${JSON.stringify(fixed.output)}`);
    const again = linter.verifyAndFix(fixed.output, config, { filename });
    if (again.fixed) {
      throw new Error(`${label}: --fix is not stable; a second pass changes\n--- first ---\n${fixed.output}\n--- second ---\n${again.output}`);
    }
  }
}

describe('property: generated Next.js files', () => {
  it(`never crash a rule, and every fix and suggestion parses and is stable (${NUM_RUNS} files, seed ${SEED})`, () => {
    fc.assert(
      fc.property(files, file => {
        check(file);
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: false },
    );
    console.log(
      `property test: ${stats.files} generated files (${stats.parsed} parse), ${ruleIds.length} rules alone and together: ` +
        `${stats.findings} findings, ${stats.fixes} fixed files, ${stats.suggestions} suggestions checked`,
    );
    expect(stats.parsed).toBeGreaterThan(stats.files / 2);
  }, 300_000);
});

/*
 * The shapes where fixes went wrong: files without semicolons, one-line bodies, names that shadow
 * the import a fix would use, CRLF and CR line endings, and both file directives. Here every
 * suggestion must also clear the report it answers, and --fix must leave nothing to fix.
 */

const mutations = fc.constantFrom('await db.post.create({ data: {} })', "await db.post.delete({ where: { id: 'x' } })", 'await db.post.update({ where: { id }, data: {} })');
const shadows = fc.constantFrom(
  '',
  'const revalidatePath = (path: string) => path',
  'const updateTag = (tag: string) => tag',
  'const requireUser = () => null',
  'const session = 1',
);
const cacheImports = fc.constantFrom(
  '',
  "import { revalidatePath } from 'next/cache'",
  "import * as cache from 'next/cache'",
  "import { revalidateTag as expire } from 'next/cache'",
);
const heads = fc.constantFrom("'use server'", "'use client'\n'use server'", "'use client'\nimport { x } from './x'\n'use server'", "import { db } from '@/lib/db'\n'use server'", '');
const actionShapes = fc.constantFrom<[string, (body: string, param: string) => string]>(
  ['one line', (body, param) => `export async function save(${param}) { ${body.split('\n').join('; ')} }`],
  ['block', (body, param) => `export async function save(${param}) {\n  ${body.split('\n').join('\n  ')}\n}`],
  ['arrow block', (body, param) => `export const save = async (${param}) => { ${body.split('\n').join('\n  ')} }`],
  ['arrow expression', (_, param) => `export const save = async (${param}) => db.post.delete({ where: { id: ${param.split(':')[0]} } })`],
  ['inline', (body, param) => `export default function Page() {\n  async function save(${param}) {\n    'use server'\n    ${body.split('\n').join('\n    ')}\n  }\n  return <form action={save} />\n}`],
  ['inline and sync', (body, param) => `export function Page() {\n  function save(${param}) { 'use server'; ${body.split('\n').join('; ')} }\n  return <form action={save} />\n}`],
  ['misplaced', (body, param) => `export async function save(${param}) {\n  const first = 1\n  'use server'\n  ${body.split('\n').join('\n  ')}\n}`],
);

const fixShapes = fc
  .record({
    head: heads,
    cacheImport: cacheImports,
    shadow: shadows,
    mutation: mutations,
    shape: actionShapes,
    param: fc.constantFrom('id: string', 'cache: string', 'revalidatePath: string'),
    tagged: fc.boolean(),
    style: styles,
    auth: fc.constantFrom(['requireUser'], ['getSession'], ['auth']),
  })
  .map(({ head, cacheImport, shadow, mutation, shape: [, write], param, tagged, style, auth }) => {
    const lines = [shadow, tagged ? "revalidateTag('posts')" : '', mutation].filter(Boolean).join('\n');
    const code = [head, "import { db } from '@/lib/db'", cacheImport, write(lines, param), ''].filter((line, index, all) => line !== '' || index === all.length - 1).join('\n');
    return { filename: path.join(app, 'app/posts/page.tsx'), code: restyle(code, style), style, settings: { 'next-actions': { authFunctions: auth } } };
  });

const fixStats = { files: 0, suggestions: 0, fixes: 0 };

function countOf(messages: Linter.LintMessage[], ruleId: string | null, messageId: string | undefined): number {
  return messages.filter(message => message.ruleId === ruleId && message.messageId === messageId).length;
}

function checkFixes({ code, filename, style, settings }: { code: string; filename: string; style: Style; settings: Record<string, unknown> }): void {
  if (parseError(code, filename)) return;
  fixStats.files++;
  for (const ruleId of ruleIds) {
    const config: Linter.Config[] = [{ ...plugin.configs.all, rules: { [`next-actions/${ruleId}`]: 'error' }, settings }];
    const messages = linter.verify(code, config, filename);
    for (const message of messages) {
      for (const suggestion of message.suggestions ?? []) {
        fixStats.suggestions++;
        const output = applySuggestion(code, suggestion.fix);
        const where = `${ruleId}: suggestion "${suggestion.desc}"\n--- input ---\n${code}\n--- output ---\n${output}`;
        const error = parseError(output, filename);
        if (error) throw new Error(`${where}\nbreaks the code: ${error}`);
        if (foreignLineBreak(output, style.eol)) throw new Error(`${where}\nmixes line endings`);
        const after = linter.verify(output, config, filename);
        if (countOf(after, message.ruleId, message.messageId) >= countOf(messages, message.ruleId, message.messageId)) {
          throw new Error(`${where}\nleaves the report "${message.messageId}" in place`);
        }
        if (after.some(found => found.fatal)) throw new Error(`${where}\nbreaks the code`);
      }
    }
    const fixed = linter.verifyAndFix(code, config, { filename });
    if (!fixed.fixed) continue;
    fixStats.fixes++;
    const where = `${ruleId}: --fix\n--- input ---\n${code}\n--- output ---\n${fixed.output}`;
    if (parseError(fixed.output, filename)) throw new Error(`${where}\nbreaks the code`);
    if (foreignLineBreak(fixed.output, style.eol)) throw new Error(`${where}\nmixes line endings`);
    if (fixed.messages.some(found => found.fix)) throw new Error(`${where}\nleaves fixable reports`);
    if (linter.verifyAndFix(fixed.output, config, { filename }).fixed) throw new Error(`${where}\nis not stable`);
  }
}

describe('property: the shapes fixes got wrong', () => {
  it(`every suggestion parses, keeps the line endings and clears its report (${NUM_RUNS} files, seed ${SEED})`, () => {
    fc.assert(
      fc.property(fixShapes, file => {
        checkFixes(file);
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: false },
    );
    console.log(`fix shapes: ${fixStats.files} files, ${fixStats.suggestions} suggestions, ${fixStats.fixes} fixed files checked`);
    expect(fixStats.suggestions).toBeGreaterThan(NUM_RUNS / 2);
    expect(fixStats.fixes).toBeGreaterThan(0);
  }, 300_000);
});
