import type { Endpoint, Surface } from './model.js';

/** What a change does to the server surface, as review mode reports it. */
export interface Change {
  kind: 'added' | 'removed' | 'guard-lost' | 'revalidation-lost' | 'client-caller-added' | 'new-finding';
  id: string;
  message: string;
  /** The endpoint, as the change leaves it, does privileged work with no guard. */
  unguarded: boolean;
}

const GUARDED = new Set(['auth', 'wrapper', 'context', 'capability', 'public']);

function title(endpoint: Endpoint): string {
  return endpoint.type === 'action'
    ? `Server Action \`${endpoint.name}\` (${endpoint.file}:${endpoint.line})`
    : `Route Handler \`${endpoint.pattern}\` (${endpoint.methods.join(' ') || 'no method'}, ${endpoint.file})`;
}

function writes(endpoint: Endpoint): boolean {
  return endpoint.effects.some(effect => effect.kind === 'write');
}

function findingKey(finding: Endpoint['findings'][number]): string {
  // Lines move with every edit above them; the rule and the message say whether it is the same finding.
  return `${finding.ruleId}\0${finding.message}`;
}

/** The changes from `base` to `head`, endpoint by endpoint (matched by their stable ids). */
export function diffSurfaces(base: Surface, head: Surface): Change[] {
  const changes: Change[] = [];
  const before = new Map(base.endpoints.map(endpoint => [endpoint.id, endpoint]));
  const after = new Map(head.endpoints.map(endpoint => [endpoint.id, endpoint]));
  const unguardedNow = new Set(head.summary.unguarded);
  for (const [id, endpoint] of after) {
    const unguarded = unguardedNow.has(id);
    const old = before.get(id);
    if (!old) {
      const publicNoun = endpoint.type === 'action' ? 'a public Server Action' : 'a public Route Handler';
      const detail = endpoint.type === 'action' ? `\`${endpoint.name}\` (${endpoint.file}:${endpoint.line})` : `\`${endpoint.pattern}\` (${endpoint.file})`;
      changes.push({ kind: 'added', id, unguarded, message: `adds ${publicNoun} ${detail}${unguarded ? ' with no guard' : ''}` });
      continue;
    }
    if (GUARDED.has(old.guard.kind) && !GUARDED.has(endpoint.guard.kind)) {
      changes.push({ kind: 'guard-lost', id, unguarded, message: `${title(endpoint)} lost its guard (was ${old.guard.label ?? old.guard.kind})` });
    }
    if (endpoint.type === 'action' && old.type === 'action' && old.revalidates.length > 0 && endpoint.revalidates.length === 0 && writes(endpoint)) {
      changes.push({ kind: 'revalidation-lost', id, unguarded, message: `${title(endpoint)} lost its revalidation (was ${old.revalidates.join(', ')})` });
    }
    if (endpoint.type === 'route' && !old.callers.some(caller => caller.kind === 'client')) {
      const caller = endpoint.callers.find(item => item.kind === 'client');
      if (caller) {
        changes.push({ kind: 'client-caller-added', id, unguarded, message: `${title(endpoint)} now has a client caller in our own UI (${caller.file}:${caller.line})` });
      }
    }
    const known = new Set(old.findings.map(findingKey));
    for (const finding of endpoint.findings) {
      if (!known.has(findingKey(finding))) {
        changes.push({ kind: 'new-finding', id, unguarded, message: `${title(endpoint)}: new ${finding.ruleId} finding at line ${finding.line}` });
      }
    }
  }
  for (const [id, endpoint] of before) {
    if (!after.has(id)) changes.push({ kind: 'removed', id, unguarded: false, message: `removes ${title(endpoint)}` });
  }
  return changes;
}
