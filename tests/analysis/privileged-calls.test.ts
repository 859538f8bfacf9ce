import { simpleTraverse } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { classifyPrivilegedCall } from '../../src/analysis/privileged-calls.js';
import { parseModule } from '../support/parse.js';

/** Every call of `code` the catalogue knows, as `kind label`, in source order. */
function privilegedCallsOf(code: string): string[] {
  const found: string[] = [];
  simpleTraverse(
    parseModule(code),
    {
      enter(node) {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const call = classifyPrivilegedCall(node);
        if (call) found.push(`${call.kind} ${call.label}`);
      },
    },
    true,
  );
  return found;
}

describe('classifyPrivilegedCall', () => {
  it('knows storage deletions: UploadThing, S3, Cloudinary, Vercel Blob, Supabase Storage', () => {
    expect(
      privilegedCallsOf(`
import { del, put } from '@vercel/blob';
async function f(key: string, url: string) {
  await utapi.deleteFiles(key);
  await s3.send(new DeleteObjectCommand({ Bucket: 'b', Key: key }));
  await cloudinary.uploader.destroy(key);
  await del(url);
  await put(key, body, { access: 'public' });
  await supabase.storage.from('avatars').remove([key]);
}`),
    ).toEqual([
      'storage utapi.deleteFiles',
      'storage s3.send(new DeleteObjectCommand(…))',
      'storage cloudinary.uploader.destroy',
      'storage del',
      'storage put',
      'storage supabase.storage.from.remove',
    ]);
  });

  it('knows customer records of a payment provider, email to a chosen address and paid AI generation', () => {
    expect(
      privilegedCallsOf(`
import { generateText, streamText } from 'ai';
async function f(customerId: string, to: string) {
  await stripe.customers.retrieve(customerId);
  await stripe.subscriptions.update(customerId, {});
  await stripe.billingPortal.sessions.create({ customer: customerId });
  await resend.emails.send({ from: 'a@b.c', to, subject: 'Hi' });
  await transporter.sendMail({ to });
  await sgMail.send({ to });
  await generateText({ model, prompt: to });
  streamText({ model, prompt: to });
  await openai.chat.completions.create({ model: 'gpt', messages: [] });
  await anthropic.messages.create({ model: 'claude', messages: [] });
}`),
    ).toEqual([
      'payment stripe.customers.retrieve',
      'payment stripe.subscriptions.update',
      'payment stripe.billingPortal.sessions.create',
      'email resend.emails.send',
      'email transporter.sendMail',
      'email sgMail.send',
      'ai generateText',
      'ai streamText',
      'ai openai.chat.completions.create',
      'ai anthropic.messages.create',
    ]);
  });

  it('leaves public catalogue reads, guest checkout, mail to a fixed address and look-alikes alone', () => {
    expect(
      privilegedCallsOf(`
import { generateText } from './my-ai';
import { del } from 'idb-keyval';
async function f(key: string) {
  await stripe.prices.list({ active: true });
  await stripe.products.retrieve(key);
  await stripe.checkout.sessions.create({ line_items: [] });
  await resend.emails.send({ from: 'a@b.c', to: 'owner@site.dev', subject: 'Contact' });
  await resend.emails.send({ to: process.env.CONTACT_EMAIL });
  await generateText(key);
  await del(key);
  await map.delete(key);
  await cache.send(key);
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: key }));
}`),
    ).toEqual([]);
  });
});
