import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import rule from '../../src/rules/no-webhook-action.js';
import { afterAll } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { fixturesDir } from '../support/fixtures.js';
import { ruleTester } from '../rule-tester.js';
import { writeCallersApp } from '../support/callers-app.js';

const RECEIVED = '"use server" makes every export of this file a public Server Action endpoint';

ruleTester.run('no-webhook-action', rule, {
  valid: [
    // A Route Handler is where webhooks belong, even with every pattern the rule looks for.
    {
      code: `
import { headers } from 'next/headers';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const signature = (await headers()).get('stripe-signature')!;
  const event = stripe.webhooks.constructEvent(await request.text(), signature, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'checkout.session.completed') return new Response(null, { status: 204 });
  return new Response(null, { status: 200 });
}
`,
      filename: 'app/api/webhooks/stripe/route.ts',
    },
    // Even a misplaced "use server" in a route file (valid-server-actions reports that) is a Route Handler.
    {
      code: `
'use server';
import { verifyWebhook } from '@clerk/nextjs/webhooks';
export async function POST(request: Request) {
  const evt = await verifyWebhook(request);
  return new Response(evt.type);
}
`,
      filename: 'app/api/webhooks/clerk/route.ts',
    },
    // A server-only processor module is not an action.
    `
import 'server-only';
import type Stripe from 'stripe';
export async function handleStripeEvent(event: Stripe.Event) {
  switch (event.type) {
    case 'checkout.session.completed':
      break;
  }
}
`,
    // Helpers of a "use server" file that are not exported are not actions.
    `
'use server';
import { headers } from 'next/headers';
async function verify(payload: string) {
  const signature = (await headers()).get('stripe-signature')!;
  return stripe.webhooks.constructEvent(payload, signature, secret);
}
export async function createPost(formData: FormData) {
  await db.post.create({ data: { title: String(formData.get('title')) } });
}
`,
    // Managing outgoing webhooks: creating, toggling, rotating, listing, retrying.
    `
'use server';
import { randomBytes } from 'node:crypto';
export async function createWebhook(formData: FormData) {
  await db.webhook.create({ data: { url: String(formData.get('url')), secret: randomBytes(32).toString('hex') } });
}
export async function toggleWebhook(id: string, enabled: boolean) {
  await db.webhook.update({ where: { id }, data: { enabled } });
}
export async function rotateWebhookSecret(id: string) {
  await db.webhook.update({ where: { id }, data: { secret: randomBytes(32).toString('hex') } });
}
export async function getWebhookEvents(id: string) {
  return db.webhookEvent.findMany({ where: { webhookId: id } });
}
export async function retryWebhookDelivery(id: string) {
  await db.delivery.update({ where: { id }, data: { attempts: 0 } });
}
export async function createWebhookEndpoint(url: string) {
  await stripe.webhookEndpoints.create({ url, enabled_events: ['checkout.session.completed'] });
}
`,
    // Sending a signed test event: the app is the sender; signing is not verifying, and a header
    // written into an outgoing request is not one read from the caller.
    `
'use server';
import { createHmac } from 'node:crypto';
import { Webhook } from 'svix';
export async function sendTestWebhookEvent(id: string) {
  const endpoint = await db.webhook.findUniqueOrThrow({ where: { id } });
  const body = JSON.stringify({ type: 'checkout.session.completed' });
  const signature = createHmac('sha256', endpoint.secret).update(body).digest('hex');
  const response = await fetch(endpoint.url, { method: 'POST', body, headers: { 'x-signature': signature, 'stripe-signature': signature } });
  return response.headers.get('x-signature');
}
export async function sendSvixPing(secret: string) {
  const wh = new Webhook(secret);
  return wh.sign('msg_1', new Date(), '{}');
}
`,
    // Ordinary headers, and header reads through something that is not next/headers.
    `
'use server';
import { headers } from 'next/headers';
import { headers as fakeHeaders } from './fake';
export async function track() {
  const h = await headers();
  await db.visit.create({ data: { agent: h.get('user-agent'), ip: h.get('x-forwarded-for') } });
  fakeHeaders().get('stripe-signature');
}
`,
    // Signed links and client-side payment confirmation: HMACs of values the user passes in.
    `
'use server';
import { createHmac, timingSafeEqual } from 'node:crypto';
export async function downloadFile(fileId: string, expires: string, signature: string) {
  const expected = createHmac('sha256', process.env.LINK_SECRET!).update(fileId + expires).digest('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return { error: 'Link expired' };
  return { url: await storage.signedUrl(fileId) };
}
export async function confirmPayment(orderId: string, paymentId: string, razorpaySignature: string) {
  const expected = createHmac('sha256', process.env.RAZORPAY_KEY_SECRET!).update(orderId + '|' + paymentId).digest('hex');
  return { ok: expected === razorpaySignature };
}
`,
    // Provider events pulled from the provider's API, or filtered in a callback, are not deliveries.
    `
'use server';
export async function recentCheckouts() {
  const events = await stripe.events.list({ limit: 10 });
  const paid = events.data.filter(event => event.type === 'checkout.session.completed');
  const event = await stripe.events.retrieve('evt_1');
  if (event.type === 'customer.subscription.deleted') return [];
  for (const item of events.data) {
    if (item.type === 'invoice.paid') paid.push(item);
  }
  return paid;
}
`,
    // One generic event name is an app's own vocabulary, not a provider's.
    `
'use server';
export async function notify(notification: { type: string }) {
  if (notification.type === 'user.created') await sendWelcomeEmail();
  return { type: 'user.created' };
}
`,
    // Comparisons that are not event dispatch: other properties, other strings.
    `
'use server';
export async function save(input: { status: string; type: string }) {
  if (input.status === 'checkout.session.completed') return;
  switch (input.type) {
    case 'draft':
    case 'published':
      break;
  }
}
`,
    // A processor's name on an inline action is just a name; only exports are public by name.
    `
export default function Page() {
  async function handleWebhook(formData: FormData) {
    'use server';
    await db.log.create({ data: { text: String(formData.get('text')) } });
  }
  return <form action={handleWebhook} />;
}
`,
    // Names that merely mention webhooks or providers.
    `
'use server';
export async function webhookSettings() {}
export async function handleStripeCheckout(priceId: string) {}
export async function saveWebhook(url: string) {}
export async function onSubmit(formData: FormData) {}
export async function handleWebhookSubmit(formData: FormData) {}
export async function verifyWebhookUrl(url: string) {}
export async function processPayment(formData: FormData) {}
`,
  ],
  invalid: [
    {
      code: `
'use server';
import { headers } from 'next/headers';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function handleStripeWebhook(payload: string) {
  const signature = (await headers()).get('stripe-signature')!;
  const event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'checkout.session.completed') await fulfil(event);
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 42,
          data: {
            subject: 'Server Action `handleStripeWebhook`',
            evidence: 'verifies a webhook signature with `stripe.webhooks.constructEvent(…)`',
            webhook: 'a Stripe webhook',
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    // The signature header alone, read from a request parameter.
    {
      code: `
'use server';
export async function receive(request: Request) {
  const signature = request.headers.get('Stripe-Signature');
  await queue.push({ signature, body: await request.text() });
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 30,
          data: {
            subject: 'Server Action `receive`',
            evidence: 'reads the `stripe-signature` header',
            webhook: 'a Stripe webhook',
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    // svix: the signature headers and `verify`; the provider comes from the events handled.
    {
      code: `
'use server';
import { headers } from 'next/headers';
import { Webhook } from 'svix';
export const syncUser = async (payload: string) => {
  const h = await headers();
  const evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, {
    'svix-id': h.get('svix-id')!,
    'svix-timestamp': h.get('svix-timestamp')!,
    'svix-signature': h.get('svix-signature')!,
  }) as { type: string };
  switch (evt.type) {
    case 'user.created':
    case 'user.deleted':
      break;
  }
};
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 5,
          column: 14,
          endLine: 5,
          endColumn: 22,
          data: {
            subject: 'Server Action `syncUser`',
            evidence: 'verifies a webhook signature with `new Webhook(…).verify(…)`',
            webhook: 'a Clerk webhook',
            route: 'app/api/webhooks/clerk/route.ts',
          },
        },
      ],
    },
    // Clerk's own helper.
    {
      code: `
'use server';
import { verifyWebhook } from '@clerk/nextjs/webhooks';
export async function clerk(request: Request) {
  const evt = await verifyWebhook(request);
  return evt.type;
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 28,
          data: {
            subject: 'Server Action `clerk`',
            evidence: 'verifies a webhook signature with `verifyWebhook(…)`',
            webhook: 'a Clerk webhook',
            route: 'app/api/webhooks/clerk/route.ts',
          },
        },
      ],
    },
    // Octokit, with the header read by index on the request.
    {
      code: `
'use server';
import { Webhooks } from '@octokit/webhooks';
const webhooks = new Webhooks({ secret: process.env.GITHUB_WEBHOOK_SECRET! });
export async function github(req: Request, body: string) {
  const signature = req.headers['x-hub-signature-256'];
  await webhooks.verifyAndReceive({ id: '1', name: 'push', payload: body, signature });
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 29,
          data: {
            subject: 'Server Action `github`',
            evidence: 'verifies a webhook signature with `webhooks.verifyAndReceive(…)`',
            webhook: 'a GitHub webhook',
            route: 'app/api/webhooks/github/route.ts',
          },
        },
      ],
    },
    // Hand-rolled HMAC (Lemon Squeezy), with the header name in a constant.
    {
      code: `
'use server';
import crypto from 'node:crypto';
import { headers } from 'next/headers';
const SIGNATURE_HEADER = 'X-Signature';
export async function lemonSqueezy(rawBody: string) {
  const signature = (await headers()).get(SIGNATURE_HEADER) ?? '';
  const digest = crypto.createHmac('sha256', process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(rawBody).digest('hex');
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(signature))) throw new Error('Invalid signature');
  const body = JSON.parse(rawBody);
  if (body.meta.event_name === 'subscription_created' || body.meta.event_name === 'subscription_updated') await sync(body);
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 35,
          data: {
            subject: 'Server Action `lemonSqueezy`',
            evidence: 'checks the `x-signature` header with `crypto.createHmac(…)`',
            webhook: 'a Lemon Squeezy webhook',
            route: 'app/api/webhooks/lemonsqueezy/route.ts',
          },
        },
      ],
    },
    // Slack: the signature header wins over the timestamp header read first.
    {
      code: `
'use server';
import { createHmac } from 'node:crypto';
import { headers } from 'next/headers';
export async function slack(rawBody: string) {
  const h = await headers();
  const base = 'v0:' + h.get('x-slack-request-timestamp') + ':' + rawBody;
  if ('v0=' + createHmac('sha256', secret).update(base).digest('hex') !== h.get('x-slack-signature')) throw new Error('no');
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 28,
          data: {
            subject: 'Server Action `slack`',
            evidence: 'checks the `x-slack-signature` header with `createHmac(…)`',
            webhook: 'a Slack webhook',
            route: 'app/api/webhooks/slack/route.ts',
          },
        },
      ],
    },
    // Paddle, Shopify, Twilio and Razorpay SDK verification, one action each.
    {
      code: `
'use server';
import Razorpay from 'razorpay';
import twilio from 'twilio';
export async function paddleHook(body: string, signature: string) {
  await paddle.webhooks.unmarshal(body, secret, signature);
}
export async function shopifyHook(rawBody: string, rawRequest: Request) {
  await shopify.webhooks.validate({ rawBody, rawRequest });
}
export async function twilioHook(signature: string, params: Record<string, string>) {
  twilio.validateRequest(token, signature, url, params);
}
export async function razorpayHook(body: string, signature: string) {
  Razorpay.validateWebhookSignature(body, signature, secret);
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 33,
          data: {
            subject: 'Server Action `paddleHook`',
            evidence: 'verifies a webhook signature with `paddle.webhooks.unmarshal(…)`',
            webhook: 'a Paddle webhook',
            route: 'app/api/webhooks/paddle/route.ts',
          },
        },
        {
          messageId: 'webhookInAction',
          line: 8,
          column: 23,
          endLine: 8,
          endColumn: 34,
          data: {
            subject: 'Server Action `shopifyHook`',
            evidence: 'verifies a webhook signature with `shopify.webhooks.validate(…)`',
            webhook: 'a Shopify webhook',
            route: 'app/api/webhooks/shopify/route.ts',
          },
        },
        {
          messageId: 'webhookInAction',
          line: 11,
          column: 23,
          endLine: 11,
          endColumn: 33,
          data: {
            subject: 'Server Action `twilioHook`',
            evidence: 'verifies a webhook signature with `twilio.validateRequest(…)`',
            webhook: 'a Twilio webhook',
            route: 'app/api/webhooks/twilio/route.ts',
          },
        },
        {
          messageId: 'webhookInAction',
          line: 14,
          column: 23,
          endLine: 14,
          endColumn: 35,
          data: {
            subject: 'Server Action `razorpayHook`',
            evidence: 'verifies a webhook signature with `Razorpay.validateWebhookSignature(…)`',
            webhook: 'a Razorpay webhook',
            route: 'app/api/webhooks/razorpay/route.ts',
          },
        },
      ],
    },
    // An unknown provider's signature header: the route keeps a placeholder.
    {
      code: `
'use server';
import { headers } from 'next/headers';
export async function deployHook() {
  const signature = (await headers()).get('x-vercel-signature');
  await db.deploy.create({ data: { signature } });
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: {
            subject: 'Server Action `deployHook`',
            evidence: 'reads the `x-vercel-signature` header',
            webhook: 'a webhook',
            route: 'app/api/webhooks/<provider>/route.ts',
          },
        },
      ],
    },
    // Inline actions, named and anonymous.
    {
      code: `
import { headers } from 'next/headers';
export default function Page() {
  async function receive() {
    'use server';
    const signature = (await headers()).get('x-hub-signature-256');
  }
  return <form action={async (formData: FormData) => { 'use server'; stripe.webhooks.constructEvent(String(formData.get('p')), sig, secret); }} />;
}
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 4,
          column: 18,
          endLine: 4,
          endColumn: 25,
          data: {
            subject: 'Server Action `receive`',
            evidence: 'reads the `x-hub-signature-256` header',
            webhook: 'a GitHub webhook',
            route: 'app/api/webhooks/github/route.ts',
          },
        },
        {
          messageId: 'webhookInAction',
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 53,
          data: {
            subject: 'This inline Server Action',
            evidence: 'verifies a webhook signature with `stripe.webhooks.constructEvent(…)`',
            webhook: 'a Stripe webhook',
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    // Wrapped actions: the wrapper's function is the body.
    {
      code: `
'use server';
export const stripeHook = actionClient.action(async ({ parsedInput }) => {
  stripe.webhooks.constructEvent(parsedInput.body, parsedInput.signature, secret);
});
`,
      errors: [
        {
          messageId: 'webhookInAction',
          line: 3,
          column: 14,
          endLine: 3,
          endColumn: 24,
          data: {
            subject: 'Server Action `stripeHook`',
            evidence: 'verifies a webhook signature with `stripe.webhooks.constructEvent(…)`',
            webhook: 'a Stripe webhook',
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    // Exported processors: by name (the lmsqueezy/nextjs-billing incident) and by the events they handle.
    {
      code: `
'use server';
export async function storeWebhookEvent(eventName: string, body: unknown) {
  return db.webhookEvent.create({ data: { eventName, body: JSON.stringify(body) } });
}
export async function processWebhookEvent(id: string) {
  const event = await db.webhookEvent.findUnique({ where: { id } });
  await apply(event);
}
export const handleWebhook = async (payload: unknown) => apply(payload);
export async function onStripeEvent(event: Stripe.Event) {}
`,
      errors: [
        {
          messageId: 'webhookProcessor',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 40,
          data: {
            subject: 'Server Action `storeWebhookEvent`',
            evidence: 'is named like a webhook processor',
            exposure: RECEIVED,
            route: 'app/api/webhooks/<provider>/route.ts',
          },
        },
        {
          messageId: 'webhookProcessor',
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 42,
          data: {
            subject: 'Server Action `processWebhookEvent`',
            evidence: 'is named like a webhook processor',
            exposure: RECEIVED,
            route: 'app/api/webhooks/<provider>/route.ts',
          },
        },
        {
          messageId: 'webhookProcessor',
          line: 10,
          column: 14,
          endLine: 10,
          endColumn: 27,
          data: {
            subject: 'Server Action `handleWebhook`',
            evidence: 'is named like a webhook processor',
            exposure: RECEIVED,
            route: 'app/api/webhooks/<provider>/route.ts',
          },
        },
        {
          messageId: 'webhookProcessor',
          line: 11,
          column: 23,
          endLine: 11,
          endColumn: 36,
          data: {
            subject: 'Server Action `onStripeEvent`',
            evidence: 'is named like a webhook processor',
            exposure: RECEIVED,
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    {
      code: `
'use server';
export async function applyEvent(event: { type: string; data: { object: unknown } }) {
  switch (event.type) {
    case 'checkout.session.completed':
      await fulfil(event.data.object);
      break;
  }
}
export async function syncMember({ type, data }: { type: string; data: unknown }) {
  if (type === 'organizationMembership.created' || type === 'organizationMembership.deleted') await sync(data);
}
export async function fromBody(request: Request) {
  const { type } = await request.json();
  if (type === 'orders/paid') await markPaid();
}
`,
      errors: [
        {
          messageId: 'webhookProcessor',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 33,
          data: {
            subject: 'Server Action `applyEvent`',
            evidence: 'handles the webhook event `checkout.session.completed`',
            exposure: RECEIVED,
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
        {
          messageId: 'webhookProcessor',
          line: 10,
          column: 23,
          endLine: 10,
          endColumn: 33,
          data: {
            subject: 'Server Action `syncMember`',
            evidence: 'handles the webhook event `organizationMembership.created`',
            exposure: RECEIVED,
            route: 'app/api/webhooks/clerk/route.ts',
          },
        },
        {
          messageId: 'webhookProcessor',
          line: 13,
          column: 23,
          endLine: 13,
          endColumn: 31,
          data: {
            subject: 'Server Action `fromBody`',
            evidence: 'handles the webhook event `orders/paid`',
            exposure: RECEIVED,
            route: 'app/api/webhooks/shopify/route.ts',
          },
        },
      ],
    },
    // An inline action that dispatches on provider events is just as public.
    {
      code: `
export default function Page() {
  async function apply(event: { type: string }) {
    'use server';
    if (event.type === 'customer.subscription.deleted') await cancel();
  }
  return null;
}
`,
      errors: [
        {
          messageId: 'webhookProcessor',
          line: 3,
          column: 18,
          endLine: 3,
          endColumn: 23,
          data: {
            subject: 'Server Action `apply`',
            evidence: 'handles the webhook event `customer.subscription.deleted`',
            exposure: '"use server" makes it a public Server Action endpoint',
            route: 'app/api/webhooks/stripe/route.ts',
          },
        },
      ],
    },
    // The target route follows the project: src/app, and .js for JavaScript files.
    {
      code: `
'use server';
export async function stripeWebhook(payload, signature) {
  return stripe.webhooks.constructEvent(payload, signature, secret);
}
`,
      filename: path.join(fixturesDir, 'no-webhook-action/src-layout/src/app/billing/other-actions.js'),
      errors: [
        {
          messageId: 'webhookInAction',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 36,
          data: {
            subject: 'Server Action `stripeWebhook`',
            evidence: 'verifies a webhook signature with `stripe.webhooks.constructEvent(…)`',
            webhook: 'a Stripe webhook',
            route: 'src/app/api/webhooks/stripe/route.js',
          },
        },
      ],
    },
  ],
});

// A processor that only a webhook Route Handler calls, whatever its name and body.
const callersRoot = writeCallersApp('next-actions-webhook-callers-');
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(callersRoot, { recursive: true, force: true });
});

ruleTester.run('no-webhook-action (callers)', rule, {
  valid: [],
  invalid: [
    {
      filename: path.join(callersRoot, 'app/actions/items.ts'),
      code: readFileSync(path.join(callersRoot, 'app/actions/items.ts'), 'utf8'),
      settings: { 'next-actions': { rootDir: callersRoot } },
      errors: [
        {
          messageId: 'webhookOnlyCaller',
          line: 25,
          column: 23,
          endColumn: 38,
          data: { subject: 'Server Action `syncFromWebhook`', route: 'app/api/webhooks/stripe/route.ts:5' },
        },
      ],
    },
  ],
});
