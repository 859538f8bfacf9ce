import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { lineBreakOf } from './fixers.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

export interface NamedImport {
  /** How the import is written at the use site: `revalidatePath`, `cache.revalidatePath`. */
  reference: string;
  /** The edit that adds the import; undefined when the file already imports it. */
  fix: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | undefined;
}

/** What the top of a file looks like to a fix that adds an import, read once per file. */
interface ImportLayout {
  imports: TSESTree.ImportDeclaration[];
  lastDirective: TSESTree.ProgramStatement | undefined;
  quote: string;
  /** The file writes no semicolon after its last import (or directive): an added import gets none. */
  semicolon: string;
}

const layouts = new WeakMap<TSESTree.Program, ImportLayout>();

// A rule asks once per report, and a generated file can hold thousands: one pass over the body per file.
function importLayout(sourceCode: SourceCode): ImportLayout {
  const program = sourceCode.ast;
  let layout = layouts.get(program);
  if (layout) return layout;
  const imports: TSESTree.ImportDeclaration[] = [];
  let lastDirective: TSESTree.ProgramStatement | undefined;
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) imports.push(statement);
    else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined) lastDirective = statement;
  }
  const model = imports[imports.length - 1] ?? lastDirective;
  layout = {
    imports,
    lastDirective,
    quote: imports[0]?.source.raw.startsWith('"') ? '"' : "'",
    semicolon: model && sourceCode.getLastToken(model)?.value !== ';' ? '' : ';',
  };
  layouts.set(program, layout);
  return layout;
}

/** The name an import specifier takes from its module (`a` in `import { a as b }`, also `import { 'a-b' as c }`). */
export function importedName(specifier: TSESTree.ImportSpecifier): string {
  return specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
}

/** The quote character the file's imports use (single by default). */
export function importQuote(sourceCode: SourceCode): string {
  return importLayout(sourceCode).quote;
}

/** Whether `name` written at `useSite` means the binding that `specifier` imports (no local shadows it). */
function reaches(sourceCode: SourceCode, useSite: TSESTree.Node, specifier: TSESTree.ImportClause): boolean {
  const variable = ASTUtils.findVariable(sourceCode.getScope(useSite), specifier.local.name);
  return variable?.defs.some(def => def.node === specifier) ?? false;
}

/**
 * How to use `name` exported by `source` at `useSite`, and the edit that imports it if needed:
 * reuse an existing import (named or namespace) that no local name shadows there, extend a named
 * import from the same module, or add a new import after the last one (after the directive
 * prologue when there is none). Undefined when `name` is already bound to something else where
 * it would be used.
 */
export function namedImport(sourceCode: SourceCode, source: string, name: string, useSite: TSESTree.Node): NamedImport | undefined {
  const layout = importLayout(sourceCode);
  const declarations = layout.imports.filter(declaration => declaration.source.value === source && declaration.importKind !== 'type');
  for (const declaration of declarations) {
    for (const specifier of declaration.specifiers) {
      const usable =
        specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier ||
        (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind !== 'type' && importedName(specifier) === name);
      if (!usable || !reaches(sourceCode, useSite, specifier)) continue;
      const reference = specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier ? `${specifier.local.name}.${name}` : specifier.local.name;
      return { reference, fix: undefined };
    }
  }
  // Imported but shadowed where it would be used, or another binding of that name: adding an
  // import would either duplicate it or change what the local name means.
  if (ASTUtils.findVariable(sourceCode.getScope(useSite), name)) return undefined;

  const extendable = declarations.find(declaration => declaration.specifiers.some(specifier => specifier.type === AST_NODE_TYPES.ImportSpecifier));
  if (extendable) {
    const last = extendable.specifiers[extendable.specifiers.length - 1]!;
    return { reference: name, fix: fixer => fixer.insertTextAfter(last, `, ${name}`) };
  }
  const { quote, semicolon, lastDirective } = layout;
  const lastImport = layout.imports[layout.imports.length - 1];
  const eol = lineBreakOf(sourceCode);
  const statement = `import { ${name} } from ${quote}${source}${quote}${semicolon}`;
  if (lastImport) return { reference: name, fix: fixer => fixer.insertTextAfter(lastImport, `${eol}${statement}`) };
  if (lastDirective) return { reference: name, fix: fixer => fixer.insertTextAfter(lastDirective, `${eol}${eol}${statement}`) };
  // A hashbang must stay on the first line.
  const { text } = sourceCode;
  const hashbangEnd = text.startsWith('#!') ? text.search(/\r\n?|\n/) : 0;
  const start = hashbangEnd === -1 ? text.length : hashbangEnd === 0 ? 0 : hashbangEnd + (text.startsWith('\r\n', hashbangEnd) ? 2 : 1);
  const inserted = hashbangEnd === -1 ? `${eol}${statement}${eol}` : `${statement}${eol}`;
  return { reference: name, fix: fixer => fixer.insertTextBeforeRange([start, start], inserted) };
}
