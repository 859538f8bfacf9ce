import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { type FunctionNode, isFunctionNode } from '../../src/analysis/server-actions.js';

/** Parses code the way the plugin's configs do: TypeScript with JSX, ranges and locations. */
export function parseModule(code: string): TSESTree.Program {
  return parse(code, { ecmaFeatures: { jsx: true }, range: true, loc: true, comment: true, tokens: true, sourceType: 'module' }) as TSESTree.Program;
}

/** The top-level function `name` of a module (declared or bound to a const), for analysis tests. */
export function findFunction(program: TSESTree.Program, name: string): FunctionNode {
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === name) return declaration;
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name && isFunctionNode(declarator.init)) return declarator.init;
      }
    }
  }
  throw new Error(`no function ${name}`);
}
