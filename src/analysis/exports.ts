import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { exportedName } from './scope.js';

/*
 * What a module exports, read from its top-level statements: the one export table of a parsed
 * module, for the linted file and for the modules the analysis follows into. Type-only exports are
 * left out. (The light text scans of modules.ts and routes.ts answer a narrower question without a
 * parse; server-actions.ts classifies a "use server" file's exports the way the compiler does.)
 */

export type ExportEntry = (
  /** Written in place: a function declaration, the initializer of `export const name = …`, the default export's declaration. */
  | { kind: 'value'; node: TSESTree.Node }
  /** `export { local as name }`: a module-level binding. */
  | { kind: 'local'; name: string }
  /** `export { imported as name } from 'specifier'`. */
  | { kind: 'reexport'; specifier: string; imported: string }
  /** `export * as name from 'specifier'`: an object of the other module's exports. */
  | { kind: 'namespace'; specifier: string }
) & {
  /** Where the name is exported (the declared identifier, the specifier's exported name): findings about the export go here. */
  nameNode: TSESTree.Node;
};

export interface ExportTable {
  names: ReadonlyMap<string, ExportEntry>;
  /** `export * from '…'` specifiers, in order. */
  stars: readonly string[];
}

const tables = new WeakMap<TSESTree.Program, ExportTable>();

/** The export table of a module, cached per syntax tree. */
export function getExportTable(program: TSESTree.Program): ExportTable {
  const cached = tables.get(program);
  if (cached) return cached;
  const names = new Map<string, ExportEntry>();
  const stars: string[] = [];
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      if (statement.exportKind === 'type') continue;
      if (statement.exported === null) stars.push(statement.source.value);
      else names.set(exportedName(statement.exported), { kind: 'namespace', specifier: statement.source.value, nameNode: statement.exported });
      continue;
    }
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      names.set('default', { kind: 'value', node: statement.declaration, nameNode: statement.declaration });
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.exportKind === 'type') continue;
    const { declaration } = statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id) {
      names.set(declaration.id.name, { kind: 'value', node: declaration, nameNode: declaration.id });
    } else if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init) names.set(declarator.id.name, { kind: 'value', node: declarator.init, nameNode: declarator.id });
      }
    }
    for (const specifier of statement.specifiers) {
      if (specifier.exportKind === 'type') continue;
      const exported = exportedName(specifier.exported);
      const local = exportedName(specifier.local);
      const nameNode = specifier.exported;
      names.set(exported, statement.source ? { kind: 'reexport', specifier: statement.source.value, imported: local, nameNode } : { kind: 'local', name: local, nameNode });
    }
  }
  const table: ExportTable = { names, stars };
  tables.set(program, table);
  return table;
}
