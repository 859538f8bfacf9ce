import type { PluginDocs, Severity } from './utils/create-rule.js';

type RuleWithDocs = { meta: { docs?: PluginDocs } };
export type ConfigName = 'recommended' | 'strict' | 'all';

/**
 * Which rule sits in which config, read from each rule's `meta.docs`: `recommended` names its
 * severity there, `strict` adds strict-only rules and raises severities, `all` turns every rule on.
 */
export function rulesFor(
  config: ConfigName,
  rules: Record<string, RuleWithDocs>,
  namespace: string,
): Record<string, Severity> {
  const entries: [string, Severity][] = [];
  for (const [id, rule] of Object.entries(rules)) {
    const docs = rule.meta.docs ?? {};
    const severity =
      config === 'recommended'
        ? docs.recommended
        : config === 'strict'
          ? (docs.strict ?? docs.recommended)
          : (docs.strict ?? docs.recommended ?? 'error');
    if (severity) entries.push([`${namespace}/${id}`, severity]);
  }
  return Object.fromEntries(entries);
}
