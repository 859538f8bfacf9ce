import fc from 'fast-check';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { scanImports } from '../../src/analysis/app-graph.js';
import { getPrologue } from '../../src/analysis/directives.js';
import { scanExports, scanPrologue } from '../../src/analysis/modules.js';
import { parseModule } from '../support/parse.js';

/*
 * Property test: the store's cheap tier (a light scan of the text) and the full tier (a parse)
 * agree on what the app graph is built from: the directive prologue, the exported names (when
 * the scan says its list is complete) and the modules imported.
 */

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.PROPERTY_SEED ?? 20_261_202);

const name = fc.constantFrom('save', 'load', 'createPost', 'GET', 'helper', 'Form', '$value', 'ünïcode');
const specifier = fc.constantFrom('./a', '../lib/b', '@/lib/c', 'react', 'server-only');
const directive = fc.constantFrom("'use server'", '"use client"', "'use cache'", "'use strict'", "'use\\x20server'");
const comment = fc.constantFrom('', '// note\n', '/* block */\n', '/**\n * import { x } from "./doc";\n */\n');

const statement = fc.oneof(
  name.map(id => `export async function ${id}() {}\n`),
  name.map(id => `export const ${id} = async () => {};\n`),
  name.map(id => `export let ${id} = 1;\n`),
  name.map(id => `export class ${id}X {}\n`),
  fc.constant('export default async function () {}\n'),
  fc.tuple(name, name).map(([a, b]) => `const ${a}L = 1;\nexport { ${a}L as ${b} };\n`),
  fc.tuple(name, specifier).map(([a, from]) => `export { ${a} } from '${from}';\n`),
  fc.tuple(name, specifier).map(([a, from]) => `import { ${a} as ${a}I } from '${from}';\n`),
  fc.tuple(name, specifier).map(([a, from]) => `import ${a.replace(/\W/g, '')}D, * as ns${a.length} from '${from}';\n`),
  specifier.map(from => `import '${from}';\n`),
  specifier.map(from => `export * from '${from}';\n`),
  specifier.map(from => `const lazy = () => import('${from}');\n`),
  fc.constant('export type Shape = { a: string };\nexport interface Other { b: number }\n'),
  fc.constant('function local() { return "export const fake = 1"; }\n'),
  comment,
);

const module = fc
  .tuple(comment, fc.array(directive, { maxLength: 3 }), fc.array(statement, { maxLength: 8 }))
  .map(([head, directives, body]) => head + directives.map(item => `${item};\n`).join('') + body.join(''));

function exportedName(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
}

function parsedExports(program: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  for (const item of program.body) {
    if (item.type === AST_NODE_TYPES.ExportDefaultDeclaration) names.add('default');
    if (item.type === AST_NODE_TYPES.ExportAllDeclaration && item.exported) names.add(exportedName(item.exported));
    if (item.type !== AST_NODE_TYPES.ExportNamedDeclaration || item.exportKind === 'type') continue;
    const declaration = item.declaration;
    if (declaration && 'id' in declaration && declaration.id?.type === AST_NODE_TYPES.Identifier && declaration.type !== AST_NODE_TYPES.TSTypeAliasDeclaration && declaration.type !== AST_NODE_TYPES.TSInterfaceDeclaration) {
      names.add(declaration.id.name);
    }
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) if (declarator.id.type === AST_NODE_TYPES.Identifier) names.add(declarator.id.name);
    }
    for (const specifierNode of item.specifiers) {
      names.add(exportedName(specifierNode.exported));
    }
  }
  return names;
}

function parsedImports(program: TSESTree.Program, text: string): string[] {
  const found: string[] = [];
  for (const item of program.body) {
    if (item.type === AST_NODE_TYPES.ImportDeclaration && item.importKind !== 'type') found.push(item.source.value);
  }
  for (const match of text.matchAll(/import\('([^']+)'\)/g)) found.push(match[1]!);
  return found.sort();
}

describe('light scan and full parse', () => {
  it('agree on prologues, export names and imports', () => {
    fc.assert(
      fc.property(module, text => {
        const program = parseModule(text);
        expect(scanPrologue(text)).toEqual(getPrologue(program.body).map(item => item.value));
        const exports = scanExports(text);
        if (exports.complete) expect([...exports.names].sort()).toEqual([...parsedExports(program)].sort());
        expect(scanImports(text).imports.map(item => item.specifier).sort()).toEqual(parsedImports(program, text));
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});
