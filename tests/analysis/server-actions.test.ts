import { describe, expect, it } from 'vitest';
import { actionReportLoc, getServerActions } from '../../src/analysis/server-actions.js';
import { withContext } from '../support/probe.js';

const actionsOf = (code: string) =>
  withContext(code, 'app/actions.tsx', context =>
    getServerActions(context).actions.map(action => ({
      name: action.name,
      origin: action.origin,
      wrapped: action.wrapper !== undefined,
      line: actionReportLoc(action, context.sourceCode).start.line,
      column: actionReportLoc(action, context.sourceCode).start.column,
    })),
  );

const exportsOf = (code: string) =>
  withContext(code, 'app/actions.ts', context =>
    getServerActions(context).exports.map(entry =>
      entry.kind === 'value' ? `${entry.name}:${entry.failure}:${entry.typeOf}` : entry.kind === 'reexport' ? `reexport:${entry.source}` : `${'action' in entry ? entry.action.name : entry.name}:${entry.kind}`,
    ),
  );

describe('getServerActions', () => {
  it('finds every export form of a "use server" file', () => {
    expect(
      actionsOf(`'use server';
export async function a() {}
export const b = async () => {};
async function c() {}
const d = async function () {};
export { c, d as e };
export default async () => {};
`),
    ).toEqual([
      { name: 'a', origin: 'export', wrapped: false, line: 2, column: 22 },
      { name: 'b', origin: 'export', wrapped: false, line: 3, column: 13 },
      { name: 'c', origin: 'export', wrapped: false, line: 6, column: 9 },
      { name: 'e', origin: 'export', wrapped: false, line: 6, column: 17 },
      { name: 'default', origin: 'export', wrapped: false, line: 7, column: 15 },
    ]);
  });

  it('takes the inner function of a wrapper call as the action body', () => {
    expect(
      actionsOf(`'use server';
export const save = client.schema(s).action(async ({ parsedInput }) => parsedInput);
export const remove = withAuth(withLog(async (id: string) => id));
const impl = async () => {};
export const viaName = wrap(impl);
`),
    ).toEqual([
      { name: 'save', origin: 'export', wrapped: true, line: 2, column: 13 },
      { name: 'remove', origin: 'export', wrapped: true, line: 3, column: 13 },
      { name: 'viaName', origin: 'export', wrapped: true, line: 5, column: 13 },
    ]);
  });

  it('finds inline actions anywhere, including JSX props, in any file', () => {
    expect(
      actionsOf(`export default function Page() {
  async function save() { 'use server'; }
  const remove = async () => { 'use server'; };
  const handlers = { async archive() { 'use server'; } };
  return <form action={async () => { 'use server'; }} />;
}`),
    ).toEqual([
      { name: 'save', origin: 'inline', wrapped: false, line: 2, column: 17 },
      { name: 'remove', origin: 'inline', wrapped: false, line: 3, column: 8 },
      { name: 'archive', origin: 'inline', wrapped: false, line: 4, column: 27 },
      { name: undefined, origin: 'inline', wrapped: false, line: 5, column: 23 },
    ]);
  });

  it('finds inline actions inside a "use server" file, also behind an escaped directive', () => {
    expect(
      actionsOf(`'use server';
export async function outer() {
  const inner = async () => { 'use server'; };
  const escaped = async () => { 'use\\x20server'; };
  return [inner, escaped];
}
`),
    ).toEqual([
      { name: 'outer', origin: 'export', wrapped: false, line: 2, column: 22 },
      { name: 'inner', origin: 'inline', wrapped: false, line: 3, column: 8 },
      { name: 'escaped', origin: 'inline', wrapped: false, line: 4, column: 8 },
    ]);
  });

  it('finds nothing in a file without "use server"', () => {
    expect(actionsOf('export async function a() {}\nexport const b = async () => {};')).toEqual([]);
  });

  it('classifies non-action exports the way Next.js fails on them', () => {
    expect(
      exportsOf(`'use server';
import { z } from 'zod';
import { imported } from './x';
export const n = 1;
export const s = \`x\`;
export const o = { a: 1 };
export const schema = z.object({});
export const unknownCall = makeThing();
export let nothing;
export class K {}
export enum E { A }
export const enum C { A }
export type T = string;
export function sync() {}
export { imported };
export * from './y';
export { a } from './z';
export type { B } from './z';
`),
    ).toEqual([
      'n:build:number',
      's:runtime:string',
      'o:runtime:object',
      'schema:runtime:object',
      'unknownCall:unknown',
      'nothing:runtime:undefined',
      'K:build:undefined',
      'E:runtime:object',
      'sync:sync-function',
      'imported:unknown',
      'reexport:./y',
      'reexport:./z',
    ]);
  });
});
