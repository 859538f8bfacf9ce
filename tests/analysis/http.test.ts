import path from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { getFileFacts } from '../../src/analysis/file-kind.js';
import { actionSubject, getServerActions } from '../../src/analysis/server-actions.js';
import {
  constantString,
  headerRead,
  isHeadersObject,
  isHmacCall,
  isMachineAuthHeader,
  providerFromName,
  webhookEvent,
  webhookHeader,
  webhookRoutePath,
  webhookVerification,
} from '../../src/analysis/http.js';
import { fixturesDir } from '../support/fixtures.js';
import { withContext } from '../support/probe.js';
import { importOf } from '../../src/analysis/scope.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Every node of `type` in the file, in source order, as [text, node]. */
function nodesOf(context: Context, type: string): [string, TSESTree.Node][] {
  const found: [string, TSESTree.Node][] = [];
  const visit = (node: TSESTree.Node) => {
    if (node.type === type) found.push([context.sourceCode.getText(node), node]);
    for (const key of context.sourceCode.visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
      }
    }
  };
  visit(context.sourceCode.ast);
  return found.sort((a, b) => a[1].range[0] - b[1].range[0]);
}

/** `text → header` for every call and computed member in the code that reads a request header. */
const headerReads = (code: string) =>
  withContext(code, 'app/actions.ts', context =>
    [...nodesOf(context, 'CallExpression'), ...nodesOf(context, 'MemberExpression')]
      .sort((a, b) => a[1].range[0] - b[1].range[0])
      .flatMap(([text, node]) => {
      const header = headerRead(context.sourceCode, node);
      return header === undefined ? [] : [`${text} → ${header}`];
    }),
  );

const verifications = (code: string) =>
  withContext(code, 'app/actions.ts', context =>
    nodesOf(context, 'CallExpression').flatMap(([, node]) => {
      const found = webhookVerification(context.sourceCode, node as TSESTree.CallExpression);
      return found ? [`${found.callee}:${found.provider ?? '?'}`] : [];
    }),
  );

describe('headerRead', () => {
  it('reads header names through next/headers, in every await and variable form', () => {
    expect(
      headerReads(`
import { headers } from 'next/headers';
import * as nh from 'next/headers';
import { headers as requestHeaders } from 'next/headers';
const SIGNATURE = 'Stripe-Signature';
export async function a() {
  (await headers()).get('svix-id');
  headers().get('x-one');
  const list = await headers();
  list.get(SIGNATURE);
  const again = list;
  again.get('x-two');
  (await nh.headers()).get('x-three');
  (await requestHeaders()).get('x-four');
}
`),
    ).toEqual([
      "(await headers()).get('svix-id') → svix-id",
      "headers().get('x-one') → x-one",
      'list.get(SIGNATURE) → stripe-signature',
      "again.get('x-two') → x-two",
      "(await nh.headers()).get('x-three') → x-three",
      "(await requestHeaders()).get('x-four') → x-four",
    ]);
  });

  it('reads the headers of a request parameter, by call or by index', () => {
    expect(
      headerReads(`
export async function a(request: Request, req, h: Headers, requestHeaders) {
  request.headers.get('x-a');
  req.headers['x-b'];
  h.get('x-c');
  requestHeaders.get('x-d');
  const { headers } = request;
  headers.get('x-e');
}
export const b = async ({ headers }: Request) => headers.get('x-f');
`),
    ).toEqual([
      "request.headers.get('x-a') → x-a",
      "req.headers['x-b'] → x-b",
      "h.get('x-c') → x-c",
      "requestHeaders.get('x-d') → x-d",
      "headers.get('x-e') → x-e",
      "headers.get('x-f') → x-f",
    ]);
  });

  it('ignores what is not an incoming request header', () => {
    expect(
      headerReads(`
import { headers } from './my-headers';
export async function a(formData: FormData, url: URL, h: Map<string, string>) {
  headers().get('x-local');
  formData.get('stripe-signature');
  url.searchParams.get('signature');
  h.get('x-map');
  const res = await fetch('https://example.com');
  res.headers.get('x-signature');
  const response = await fetch('https://example.com');
  response.headers.get('x-signature');
  (await import('next/headers')).headers().get(name);
  await fetch('https://example.com').then(r => r.headers.get('x-signature'));
  const check = (upstream: Response) => upstream.headers.get('x-signature');
  await fetch('https://example.com').then(({ headers }) => headers.get('x-signature'));
}
`),
    ).toEqual([]);
  });
});

describe('isHeadersObject', () => {
  it('follows variables, but only as far as a headers() call or a request', () => {
    const results = withContext(
      `
import { headers } from 'next/headers';
const h = headers();
const notHeaders = new Map();
export async function a(request: Request) { const fromRequest = request.headers; }
`,
      'app/actions.ts',
      context => nodesOf(context, 'Identifier').filter(([text]) => ['h', 'notHeaders', 'fromRequest'].includes(text)).map(([text, node]) => `${text}:${isHeadersObject(context.sourceCode, node)}`),
    );
    expect(results).toEqual(['h:true', 'notHeaders:false', 'fromRequest:true']);
  });
});

describe('webhookHeader', () => {
  it('knows each provider by its headers', () => {
    expect(webhookHeader('stripe-signature')).toEqual({ provider: 'stripe' });
    expect(webhookHeader('x-hub-signature-256')).toEqual({ provider: 'github' });
    expect(webhookHeader('x-github-event')).toEqual({ provider: 'github' });
    expect(webhookHeader('x-shopify-hmac-sha256')).toEqual({ provider: 'shopify' });
    expect(webhookHeader('x-slack-signature')).toEqual({ provider: 'slack' });
    expect(webhookHeader('x-twilio-signature')).toEqual({ provider: 'twilio' });
    expect(webhookHeader('paddle-signature')).toEqual({ provider: 'paddle' });
    expect(webhookHeader('x-razorpay-signature')).toEqual({ provider: 'razorpay' });
    expect(webhookHeader('x-event-name')).toEqual({ provider: 'lemonsqueezy' });
  });

  it('leaves the provider open for shared and unknown signature headers', () => {
    expect(webhookHeader('svix-signature')).toEqual({ provider: undefined });
    expect(webhookHeader('webhook-id')).toEqual({ provider: undefined });
    expect(webhookHeader('x-signature')).toEqual({ provider: undefined });
    expect(webhookHeader('x-vercel-signature')).toEqual({ provider: undefined });
    expect(webhookHeader('linear-signature')).toEqual({ provider: undefined });
    expect(webhookHeader('x-signature-ed25519')).toEqual({ provider: undefined });
  });

  it('does not take ordinary headers, or a bare `signature`, for webhook headers', () => {
    expect(webhookHeader('signature')).toBeUndefined();
    expect(webhookHeader('authorization')).toBeUndefined();
    expect(webhookHeader('user-agent')).toBeUndefined();
    expect(webhookHeader('x-signatures-enabled')).toBeUndefined();
  });
});

describe('isMachineAuthHeader', () => {
  it('knows the headers machines put credentials in', () => {
    expect(['authorization', 'x-api-key', 'api-key', 'x-auth-token', 'x-cron-secret', 'x-internal-secret'].map(isMachineAuthHeader)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['cookie', 'user-agent', 'x-forwarded-for', 'x-api-version'].map(isMachineAuthHeader)).toEqual([false, false, false, false]);
  });
});

describe('webhookEvent', () => {
  it('treats provider-specific names as telling on their own', () => {
    expect(webhookEvent('checkout.session.completed')).toEqual({ provider: 'stripe', distinctive: true });
    expect(webhookEvent('customer.subscription.updated')).toEqual({ provider: 'stripe', distinctive: true });
    expect(webhookEvent('invoice.payment_failed')).toEqual({ provider: 'stripe', distinctive: true });
    expect(webhookEvent('subscription_payment_success')).toEqual({ provider: 'lemonsqueezy', distinctive: true });
    expect(webhookEvent('orders/create')).toEqual({ provider: 'shopify', distinctive: true });
    expect(webhookEvent('url_verification')).toEqual({ provider: 'slack', distinctive: true });
  });

  it('treats names an app might use itself as generic', () => {
    expect(webhookEvent('user.created')).toEqual({ provider: 'clerk', distinctive: false });
    expect(webhookEvent('email.bounced')).toEqual({ provider: 'resend', distinctive: false });
    expect(webhookEvent('subscription_created')).toEqual({ provider: 'lemonsqueezy', distinctive: false });
    expect(webhookEvent('transaction.completed')).toEqual({ provider: 'paddle', distinctive: false });
    expect(webhookEvent('payment.captured')).toEqual({ provider: 'razorpay', distinctive: false });
    expect(webhookEvent('customer.created')).toEqual({ provider: undefined, distinctive: false });
    expect(webhookEvent('subscription.activated')).toEqual({ provider: undefined, distinctive: false });
  });

  it('knows nothing of other strings', () => {
    expect(webhookEvent('success')).toBeUndefined();
    expect(webhookEvent('post.created.by.me')).toBeUndefined();
    expect(webhookEvent('ping')).toBeUndefined();
  });
});

describe('webhookVerification', () => {
  it('recognises every SDK verification call', () => {
    expect(
      verifications(`
import { verifyWebhook } from '@clerk/nextjs/webhooks';
import { Webhooks } from '@octokit/webhooks';
import { verify } from '@octokit/webhooks-methods';
import { validateEvent } from '@polar-sh/sdk/webhooks';
import { verifySlackRequest } from '@slack/bolt';
import Razorpay from 'razorpay';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook } from 'svix';
import twilio, { validateRequest } from 'twilio';
const wh = new Webhook(secret);
const octo = new Webhooks({ secret });
export async function a() {
  stripe.webhooks.constructEvent(body, sig, secret);
  Stripe.webhooks.constructEventAsync(body, sig, secret);
  wh.verify(body, headers);
  new StandardWebhook(secret).verify(body, headers);
  await verifyWebhook(req);
  await octo.verify(body, sig);
  await verify(secret, body, sig);
  paddle.webhooks.unmarshal(body, secret, sig);
  shopify.webhooks.validate({ rawBody });
  twilio.validateRequest(token, sig, url, params);
  validateRequest(token, sig, url, params);
  Razorpay.validateWebhookSignature(body, sig, secret);
  verifySlackRequest({ signingSecret, body, headers });
  validateEvent(body, headers, secret);
}
`),
    ).toEqual([
      'stripe.webhooks.constructEvent:stripe',
      'Stripe.webhooks.constructEventAsync:stripe',
      'wh.verify:?',
      'new StandardWebhook(…).verify:?',
      'verifyWebhook:clerk',
      'octo.verify:github',
      'verify:github',
      'paddle.webhooks.unmarshal:paddle',
      'shopify.webhooks.validate:shopify',
      'twilio.validateRequest:twilio',
      'validateRequest:twilio',
      'Razorpay.validateWebhookSignature:razorpay',
      'verifySlackRequest:slack',
      'validateEvent:polar',
    ]);
  });

  it('does not count signing, management, or look-alikes from other modules', () => {
    expect(
      verifications(`
import { Webhook, Svix } from 'svix';
import { Webhooks } from '@octokit/webhooks';
import { sign } from '@octokit/webhooks-methods';
import { verifyWebhook } from './lib/webhooks';
import { validateRequest } from './lib/validate';
export async function a() {
  new Webhook(secret).sign(id, new Date(), body);
  new Webhooks({ secret }).sign(body);
  await sign(secret, body);
  stripe.webhooks.generateTestHeaderString({ payload, secret });
  stripe.webhookEndpoints.create({ url });
  new Svix(token).endpoint.create(appId, { url });
  client.webhooks.validate(config);
  jwt.verify(token, secret);
  verifyWebhook(req);
  validateRequest(input);
}
`),
    ).toEqual([]);
  });
});

describe('isHmacCall', () => {
  it('finds HMAC computation and constant-time comparison', () => {
    const found = withContext(
      `crypto.createHmac('sha256', s); createHmac('sha256', s); timingSafeEqual(a, b); crypto.subtle.verify('HMAC', key, sig, data); jwt.verify(t, s); createHash('sha256');`,
      'lib/x.ts',
      context => nodesOf(context, 'CallExpression').filter(([, node]) => isHmacCall(node as TSESTree.CallExpression)).map(([text]) => text.split('(')[0]),
    );
    expect(found).toEqual(['crypto.createHmac', 'createHmac', 'timingSafeEqual', 'crypto.subtle.verify']);
  });
});

describe('importOf and constantString', () => {
  it('resolve bindings through the scope, not by name', () => {
    const results = withContext(
      `
import type { Request as R } from 'express';
import Stripe, { type Event } from 'stripe';
import * as h from 'next/headers';
const NAME = 'x-a';
let changing = 'x-b';
function f(Stripe) { return [Stripe, NAME, changing, h]; }
`,
      'app/x.ts',
      context => {
        const [, returned] = nodesOf(context, 'ArrayExpression')[0]!;
        return (returned as TSESTree.ArrayExpression).elements.map(element => {
          const identifier = element as TSESTree.Identifier;
          return `${identifier.name}:${JSON.stringify(importOf(context.sourceCode, identifier) ?? null)}:${constantString(context.sourceCode, identifier) ?? '-'}`;
        });
      },
    );
    expect(results).toEqual(['Stripe:null:-', 'NAME:null:x-a', 'changing:null:-', 'h:{"source":"next/headers","imported":"*"}:-']);
  });
});

describe('providerFromName', () => {
  it('finds the provider a function name mentions', () => {
    expect(providerFromName('handleStripeWebhook')).toBe('stripe');
    expect(providerFromName('processLemonSqueezyEvent')).toBe('lemonsqueezy');
    expect(providerFromName('on_github_push')).toBe('github');
    expect(providerFromName('handleWebhook')).toBeUndefined();
  });
});

describe('webhookRoutePath', () => {
  it('points into app/, src/app/ or a placeholder, with the file extension of the project', () => {
    const route = (filename: string, provider: Parameters<typeof webhookRoutePath>[1]) =>
      withContext('', filename, context => webhookRoutePath(getFileFacts(context), provider), { cwd: fixturesDir });
    expect(route(path.join(fixturesDir, 'no-webhook-action/app/billing/actions.ts'), 'stripe')).toBe('app/api/webhooks/stripe/route.ts');
    expect(route(path.join(fixturesDir, 'no-webhook-action/src-layout/src/app/billing/actions.ts'), 'clerk')).toBe(
      'src/app/api/webhooks/clerk/route.ts',
    );
    expect(route(path.join(fixturesDir, 'no-webhook-action/app/billing/actions.js'), undefined)).toBe('app/api/webhooks/<provider>/route.js');
  });
});

describe('actionSubject', () => {
  it('names an action at the start of a sentence', () => {
    const subjects = withContext(
      `'use server';
export async function save() {}
export default async () => {};
export const inline = [async () => { 'use server'; }];
`,
      'app/actions.ts',
      context => getServerActions(context).actions.map(actionSubject),
    );
    expect(subjects).toEqual(['Server Action `save`', 'The default-exported Server Action', 'This inline Server Action']);
  });
});
