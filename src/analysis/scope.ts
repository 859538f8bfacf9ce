import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { importedName } from '../utils/imports.js';

/*
 * What a name stands for, from the scopes of the module it is written in: the questions every
 * analysis asks of an identifier before it can say anything about the value behind it.
 */

type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;

/** The definition an identifier resolves to in its scope, or undefined for globals and unknowns. */
export function definitionOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Definition | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  return variable?.defs[0];
}

/** Like definitionOf, but only for a name defined exactly once (a redeclared `var` could be either). */
export function soleDefinitionOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Definition | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  return variable?.defs.length === 1 ? variable.defs[0] : undefined;
}

export interface ImportedBinding {
  /** The module specifier: `next/headers`, `svix`. */
  source: string;
  /** The exported name: `headers`, `default`, or `*` for a namespace import. */
  imported: string;
}

/** Where an identifier is imported from, when it is a value import binding. */
export function importOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): ImportedBinding | undefined {
  const definition = definitionOf(sourceCode, identifier);
  if (definition?.type !== 'ImportBinding') return undefined;
  const declaration = definition.parent;
  if (declaration.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return undefined;
  const specifier = definition.node;
  switch (specifier.type) {
    case AST_NODE_TYPES.ImportSpecifier:
      return specifier.importKind === 'type' ? undefined : { source: declaration.source.value, imported: importedName(specifier) };
    case AST_NODE_TYPES.ImportDefaultSpecifier:
      return { source: declaration.source.value, imported: 'default' };
    case AST_NODE_TYPES.ImportNamespaceSpecifier:
      return { source: declaration.source.value, imported: '*' };
    default:
      return undefined;
  }
}

/** The name an export specifier or declaration gives: `export { a as "b-c" }` exports `b-c`. */
export function exportedName(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
}

/** Whether a variable is assigned after its declaration: then its initial value says nothing for sure. */
export function isReassigned(variable: Variable): boolean {
  return variable.references.some(reference => reference.isWrite() && !reference.init);
}
