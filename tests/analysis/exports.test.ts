import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { type ExportEntry, getExportTable } from '../../src/analysis/exports.js';
import { withContext } from '../support/probe.js';

function describeEntry(entry: ExportEntry): string {
  if (entry.kind === 'value') return `value ${entry.node.type}@${entry.node.loc.start.line}`;
  if (entry.kind === 'local') return `local ${entry.name}`;
  if (entry.kind === 'namespace') return `namespace ${entry.specifier}`;
  return `reexport ${entry.imported} from ${entry.specifier}`;
}

const tableOf = (code: string) =>
  withContext(code, 'lib/module.ts', context => {
    const program = context.sourceCode.ast as TSESTree.Program;
    const table = getExportTable(program);
    return { names: Object.fromEntries([...table.names].map(([name, entry]) => [name, describeEntry(entry)])), stars: table.stars, cached: getExportTable(program) === table };
  });

describe('getExportTable', () => {
  it('lists every value export with where it is written, and leaves types out', () => {
    expect(
      tableOf(`import { helper } from './helper';
export type Shape = { id: string };
export function declared() {}
export const arrow = async () => {}, plain = 1;
export const { destructured } = source;
function local() {}
export { local as renamed, type Shape as AlsoShape };
export { helper as again } from './helper';
export * from './star';
export * as namespace from './namespace';
export default class Store {}
`),
    ).toEqual({
      names: {
        declared: 'value FunctionDeclaration@3',
        arrow: 'value ArrowFunctionExpression@4',
        plain: 'value Literal@4',
        renamed: 'local local',
        again: 'reexport helper from ./helper',
        namespace: 'namespace ./namespace',
        default: 'value ClassDeclaration@11',
      },
      stars: ['./star'],
      cached: true,
    });
  });
});
