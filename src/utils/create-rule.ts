import { createRequire } from 'node:module';
import { applyDefault, RuleCreator, type RuleWithMetaAndName } from '@typescript-eslint/utils/eslint-utils';

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

function ruleDocsUrl(name: string): string {
  return `${repositoryUrl}/blob/v${packageVersion}/docs/rules/${name}.md`;
}

const withDocsUrl = RuleCreator<PluginDocs>(ruleDocsUrl);

/**
 * typescript-eslint's rule creator, with the options merged once per distinct configuration
 * instead of once per file: its merge clones the defaults with `structuredClone` on every
 * `create()`, which was a tenth of this plugin's time on a large app. Options are JSON (the
 * schema says so), so their text is their identity; rules never mutate the merged object.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  spec: Readonly<RuleWithMetaAndName<Options, MessageIds, PluginDocs>>,
): ReturnType<typeof withDocsUrl<Options, MessageIds>> {
  const rule = withDocsUrl(spec);
  const defaults = (spec.meta.defaultOptions ?? spec.defaultOptions ?? []) as Options;
  const merged = new Map<string, Readonly<Options>>();
  return {
    ...rule,
    create(context) {
      const key = JSON.stringify(context.options);
      let options: Readonly<Options> | undefined = merged.get(key);
      if (options === undefined) {
        options = applyDefault<Options, Options>(defaults, context.options);
        merged.set(key, options);
      }
      return spec.create(context, options);
    },
  };
}
