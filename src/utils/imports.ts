import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';

type SourceCode = Readonly<TSESLint.SourceCode>;

export interface NamedImport {
  /** How the import is written at the use site: `revalidatePath`, `cache.revalidatePath`. */
  reference: string;
  /** The edit that adds the import; undefined when the file already imports it. */
  fix: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | undefined;
}

function isValueImportFrom(statement: TSESTree.ProgramStatement, source: string): statement is TSESTree.ImportDeclaration {
  return statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === source && statement.importKind !== 'type';
}

function importedName(specifier: TSESTree.ImportSpecifier): string {
  return specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
}

/** The quote character the file's imports use (single by default). */
export function importQuote(sourceCode: SourceCode): string {
  const first = sourceCode.ast.body.find(statement => statement.type === AST_NODE_TYPES.ImportDeclaration);
  return first?.source.raw.startsWith('"') ? '"' : "'";
}

/**
 * How to use `name` exported by `source` at `useSite`, and the edit that imports it if needed:
 * reuse an existing import (named or namespace), extend a named import from the same module, or
 * add a new import after the last one (after the directive prologue when there is none).
 * Undefined when `name` is already bound to something else where it would be used.
 */
export function namedImport(sourceCode: SourceCode, source: string, name: string, useSite: TSESTree.Node): NamedImport | undefined {
  const program = sourceCode.ast;
  const declarations = program.body.filter((statement): statement is TSESTree.ImportDeclaration => isValueImportFrom(statement, source));
  for (const declaration of declarations) {
    for (const specifier of declaration.specifiers) {
      if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { reference: `${specifier.local.name}.${name}`, fix: undefined };
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind !== 'type' && importedName(specifier) === name) {
        return { reference: specifier.local.name, fix: undefined };
      }
    }
  }
  const existing = ASTUtils.findVariable(sourceCode.getScope(useSite), name);
  if (existing) return undefined;

  const extendable = declarations.find(declaration => declaration.specifiers.some(specifier => specifier.type === AST_NODE_TYPES.ImportSpecifier));
  if (extendable) {
    const last = extendable.specifiers[extendable.specifiers.length - 1]!;
    return { reference: name, fix: fixer => fixer.insertTextAfter(last, `, ${name}`) };
  }
  const quote = importQuote(sourceCode);
  const imports = program.body.filter(item => item.type === AST_NODE_TYPES.ImportDeclaration);
  const lastImport = imports[imports.length - 1];
  const directives = program.body.filter(item => item.type === AST_NODE_TYPES.ExpressionStatement && item.directive !== undefined);
  const lastDirective = directives[directives.length - 1];
  const model = lastImport ?? lastDirective;
  // Files written without semicolons get none.
  const semicolon = model && sourceCode.getLastToken(model)?.value !== ';' ? '' : ';';
  const statement = `import { ${name} } from ${quote}${source}${quote}${semicolon}`;
  if (lastImport) return { reference: name, fix: fixer => fixer.insertTextAfter(lastImport, `\n${statement}`) };
  if (lastDirective) return { reference: name, fix: fixer => fixer.insertTextAfter(lastDirective, `\n\n${statement}`) };
  // A hashbang must stay on the first line.
  const start = sourceCode.text.startsWith('#!') ? sourceCode.text.indexOf('\n') + 1 || sourceCode.text.length : 0;
  const text = start > 0 && !sourceCode.text.includes('\n') ? `\n${statement}\n` : `${statement}\n`;
  return { reference: name, fix: fixer => fixer.insertTextBeforeRange([start, start], text) };
}
