import { createRequire } from 'node:module';
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

// `tsc` would copy package.json into dist if it were imported; reading it keeps one source.
const pkg = createRequire(import.meta.url)('../../package.json') as {
  name: string;
  version: string;
  repository?: { url?: string };
};

export const packageName = pkg.name;
export const packageVersion = pkg.version;

export type Severity = 'error' | 'warn';

/** The documentation extension every rule of this plugin carries in `meta.docs`. */
export interface PluginDocs {
  /** Severity in the `recommended` config (and, unless `strict` says otherwise, in `strict`). */
  recommended?: Severity;
  /** Severity in the `strict` config when it differs from `recommended`, or the rule is strict-only. */
  strict?: Severity;
}

export const repositoryUrl = 'https://github.com/next-actions/eslint-plugin-next-actions';

export function ruleDocsUrl(name: string): string {
  return `${repositoryUrl}/blob/v${packageVersion}/docs/rules/${name}.md`;
}

export const createRule = RuleCreator<PluginDocs>(ruleDocsUrl);
