import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyStore } from '../../../store/keys/key-store.ts';
import { mergeAuth, openAuth, publicAuth, sealAuth } from './auth.ts';

test('the public view keeps names and IDs, never passwords, key values, client secrets or secret parameter values', () => {
  const view = publicAuth({
    OAuthParameters: {
      AuthorizationEndpoint: 'https://a', HttpMethod: 'GET', ClientParameters: { ClientID: 'id', ClientSecret: 's1' },
      OAuthHttpParameters: { QueryStringParameters: [{ Key: 'k', Value: 's2', IsValueSecret: true }, { Key: 'p', Value: 'public' }] },
    },
    InvocationHttpParameters: {},
  });
  assert.deepEqual(view, {
    OAuthParameters: {
      AuthorizationEndpoint: 'https://a', HttpMethod: 'GET', ClientParameters: { ClientID: 'id' },
      OAuthHttpParameters: { QueryStringParameters: [{ Key: 'k', Value: undefined, IsValueSecret: true }, { Key: 'p', Value: 'public' }] },
    },
    InvocationHttpParameters: {},
  });
});

test('an update merges field by field; a new type starts afresh but keeps the invocation parameters', () => {
  const old = { OAuthParameters: { AuthorizationEndpoint: 'https://a', HttpMethod: 'POST' as const, ClientParameters: { ClientID: 'id', ClientSecret: 's' } }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'h', Value: 'v' }] } };
  const merged = mergeAuth('OAUTH_CLIENT_CREDENTIALS', old, 'OAUTH_CLIENT_CREDENTIALS', { OAuthParameters: { ClientParameters: { ClientSecret: 'new' } } });
  assert.deepEqual(merged.OAuthParameters?.ClientParameters, { ClientID: 'id', ClientSecret: 'new' });
  assert.equal(merged.OAuthParameters?.AuthorizationEndpoint, 'https://a');
  const basic = mergeAuth('OAUTH_CLIENT_CREDENTIALS', old, 'BASIC', { BasicAuthParameters: { Username: 'u', Password: 'p' } });
  assert.deepEqual(basic, { BasicAuthParameters: { Username: 'u', Password: 'p' }, InvocationHttpParameters: old.InvocationHttpParameters });
});

test('sealed parameters open only under the connection they were sealed for', () => {
  const keys = KeyStore.fromMaster(Buffer.alloc(32, 1));
  const sealed = sealAuth(keys, 'arn:a', { ApiKeyAuthParameters: { ApiKeyName: 'n', ApiKeyValue: 'v' } });
  assert.ok(!sealed.includes('"v"'));
  assert.deepEqual(openAuth(keys, 'arn:a', sealed), { ApiKeyAuthParameters: { ApiKeyName: 'n', ApiKeyValue: 'v' } });
  assert.throws(() => openAuth(keys, 'arn:b', sealed));
});
