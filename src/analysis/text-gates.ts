import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Context } from '../utils/context.js';

/**
 * Cheap facts about the linted file that let a rule decide nothing can be found before it adds a
 * listener that runs per node, looks names up in scopes, resolves an import or asks the app graph.
 * Each answer is a superset of what the analysis behind the rule can see: it may let a file
 * through that has nothing, never stop one that has something.
 */

type Reference = TSESLint.Scope.Reference;

/**
 * Whether a reference can be the expression modules.ts asks about: not a JSX tag (`<Button>`,
 * rendered, not called), not a type, and for a named or default import not the object of a member
 * (`toast.success(…)`), which only namespace imports and `action.bind(…)` make an action.
 */
function mayNameAction(reference: Reference, namespace: boolean): boolean {
  if (!reference.isValueReference) return false;
  const { identifier } = reference;
  const { parent } = identifier;
  switch (parent?.type) {
    case AST_NODE_TYPES.JSXOpeningElement:
    case AST_NODE_TYPES.JSXClosingElement:
    case AST_NODE_TYPES.JSXMemberExpression:
      return false;
    case AST_NODE_TYPES.MemberExpression:
      return namespace || parent.object !== identifier || parent.computed || parent.property.type !== AST_NODE_TYPES.Identifier || parent.property.name === 'bind';
    default:
      return true;
  }
}

const candidateImports = new WeakMap<TSESTree.Program, boolean>();
const FRAMEWORK = /^(?:react|react-dom|next)(?:\/|$)/;

/**
 * Whether some import of the file may bind a Server Action as far as the file itself tells: an
 * import of a module other than React and Next.js (which modules.ts never resolves to a project
 * module), not a type, and used where an action could be named. Without one, and without an inline
 * `"use server"`, nothing in the file names an action: modules.ts follows aliases, `.bind` and
 * props back to such an import. Nothing is resolved here, since resolving every import of every
 * client file would cost more than the listeners it spares; the rules resolve the few they ask about.
 * modules.importsServerAction gives the resolved answer for one import, once this gate has let the
 * file through: "may" here, "does" there.
 */
export function mayImportServerAction(context: Context): boolean {
  const program = context.sourceCode.ast;
  let known = candidateImports.get(program);
  if (known === undefined) {
    known = program.body.some(
      statement =>
        statement.type === AST_NODE_TYPES.ImportDeclaration &&
        statement.importKind !== 'type' &&
        !FRAMEWORK.test(statement.source.value) &&
        statement.specifiers.some(specifier => {
          if (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type') return false;
          const namespace = specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier;
          return context.sourceCode
            .getDeclaredVariables(specifier)
            .some(variable => variable.references.some(reference => mayNameAction(reference, namespace)));
        }),
    );
    candidateImports.set(program, known);
  }
  return known;
}

/**
 * A test of whether a text names one of `names` (as an identifier or a member: `useEffect(…)`,
 * `React.useEffect(…)`), compiled once: one scan of the text instead of one per name. An
 * identifier spelled with unicode escapes (`use\u0045ffect`) is not looked for.
 */
export function namesAny(names: Iterable<string>): (text: string) => boolean {
  const pattern = new RegExp([...names].map(name => name.replace(/[$]/g, '\\$&')).join('|'));
  return text => pattern.test(text);
}
