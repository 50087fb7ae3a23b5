import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeErrorMessage, sanitizeHeaders, sanitizeUrl } from './log-helper.ts';

const opts = (o: Partial<{ includeUrlPassword: boolean; restrictedUrlParameters: string[]; restrictedHeaders: string[] }> = {}) => ({
  includeUrlPassword: false,
  restrictedUrlParameters: [],
  restrictedHeaders: [],
  ...o,
});

test('restricted query parameters are redacted case-blind, the others kept as written', () => {
  const url = 'https://example.com/learn/home?access_token=12345&token_type=Bearer&expires_in=1200';
  assert.equal(
    sanitizeUrl(url, opts({ restrictedUrlParameters: ['ACCESS_TOKEN'] })),
    'https://example.com/learn/home?access_token=REDACTED&token_type=Bearer&expires_in=1200',
  );
  assert.equal(
    sanitizeUrl(url, opts({ restrictedUrlParameters: ['*'] })),
    'https://example.com/learn/home?access_token=REDACTED&token_type=REDACTED&expires_in=REDACTED',
  );
  assert.equal(sanitizeUrl('https://example.com/a?x=%20y#frag', opts({ restrictedUrlParameters: ['z'] })), 'https://example.com/a?x=%20y#frag');
});

test('URL passwords are redacted unless includeUrlPassword', () => {
  assert.equal(sanitizeUrl('https://user:secret@example.com/', opts()), 'https://user:REDACTED@example.com/');
  assert.equal(sanitizeUrl('https://user:secret@example.com/', opts({ includeUrlPassword: true })), 'https://user:secret@example.com/');
  assert.throws(() => sanitizeUrl('not a url', opts()));
});

test('URLs inside error messages and restricted headers are redacted', () => {
  assert.equal(
    sanitizeErrorMessage(new Error('Failed to load url: https://e.com/?token=1 now'), opts({ restrictedUrlParameters: ['token'] })),
    'Failed to load url: https://e.com/?token=REDACTED now',
  );
  assert.deepEqual(sanitizeHeaders({ Authorization: 'x', Accept: ['a', 'b'] }, opts({ restrictedHeaders: ['authorization'] })), {
    Authorization: 'REDACTED',
    Accept: 'a, b',
  });
});
