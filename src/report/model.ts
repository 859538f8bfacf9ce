import type { CallerKind as GraphCallerKind } from '../analysis/callers.js';

/*
 * The report's data: what `next-actions report --format json` prints. The schema is versioned;
 * a change that removes or renames a field raises REPORT_SCHEMA_VERSION (docs/report.md).
 */

export const REPORT_SCHEMA_VERSION = 1;

/**
 * Who references a Server Action: the app graph's kinds (src/analysis/callers.ts, documented in
 * docs/report.md), plus `unknown` for a use of an inline action the report cannot follow.
 * `component` is only used while collecting, until the module's environment is known.
 */
export type CallerKind = GraphCallerKind | 'unknown' | 'component';

export interface Location {
  /** Relative to the app root, with `/`. */
  file: string;
  line: number;
}

export interface Caller extends Location {
  kind: Exclude<CallerKind, 'component'>;
  /** The component or function the reference is in. */
  within?: string;
  /** What a client caller does once the action settles, when it brings the UI up to date itself. */
  settle?: 'refresh' | 'invalidate' | 'navigate';
  /** For a Route Handler caller: whether it receives webhooks. */
  webhook?: boolean;
}

export interface EffectSummary extends Location {
  /** `package`: a package call that does privileged work (storage, payment, email, ai: in `subject`). */
  kind: 'read' | 'write' | 'http' | 'package';
  /** `db.post.create`, `fetch`, `stripe.customers.retrieve`. */
  label: string;
  /** The model, table or collection when the data layer names it. */
  subject?: string;
  method?: string;
  url?: string;
}

/**
 * `auth`: checked before the work; `unenforced`: called, but some path does the work without it;
 * `public`: an action that is public by design (signing in, up or out); `wrapped`: a wrapper the
 * analysis does not know as an authentication wrapper decides whether it runs (`withCron`);
 * `capability`: every write is filtered by a server-set cookie or a one-time token (a guest cart).
 */
export interface Guard {
  kind: 'auth' | 'wrapper' | 'wrapped' | 'context' | 'capability' | 'public' | 'unenforced' | 'none';
  label?: string;
}

export interface Finding extends Location {
  ruleId: string;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  helpUri?: string;
}

export interface ActionEndpoint extends Location {
  /** Stable across runs: `action:<file>#<name>`. */
  id: string;
  type: 'action';
  name: string;
  exportKind: 'file-level' | 'inline' | 'wrapped';
  wrapper?: string;
  /**
   * False when a reference could not be followed or none was found (the export may be used from
   * another workspace package): then nothing is concluded from the callers listed.
   */
  callersKnown: boolean;
  callers: Caller[];
  effects: EffectSummary[];
  revalidates: string[];
  guard: Guard;
  findings: Finding[];
}

export interface RouteEndpoint extends Location {
  /** Stable across runs: `route:<pattern>`. */
  id: string;
  type: 'route';
  pattern: string;
  router: 'app' | 'pages';
  methods: string[];
  /** Own code that requests the URL; empty when only machines (webhooks, cron, other apps) call it. */
  callers: Caller[];
  /** The call that verifies a webhook signature, when the handler has one. */
  verifiesSignature?: string;
  guard: Guard;
  effects: EffectSummary[];
  findings: Finding[];
}

export type Endpoint = ActionEndpoint | RouteEndpoint;

export interface Summary {
  actions: number;
  routes: number;
  findings: number;
  /** Ids of endpoints that do privileged work (a write, or a read tied to nothing public) with no guard. */
  unguarded: string[];
  /** Ids of actions whose callers are known, none of them client code, a form or a Client Component prop. */
  noClientCaller: string[];
  /** `file:line → route id` for each own-UI request to an own Route Handler. */
  ownApiCalls: { from: Location; route: string }[];
  /** Ids of actions that only read and return data. */
  readsAsActions: string[];
}

export interface Surface {
  version: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** The app root, relative to the directory the command ran in (`.` for itself). */
  root: string;
  endpoints: Endpoint[];
  /** Every finding of the plugin's rules in the app, also those at call sites (not on an endpoint). */
  findings: Finding[];
  summary: Summary;
}
