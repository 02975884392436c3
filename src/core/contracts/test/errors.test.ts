import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BankLockedError } from '../../../bank/errors';
import { LlmError } from '../../../llm/errors';
import { ConfigError } from '../config';
import { commonKind, errorKind, errorMessage } from '../errors';

describe('errorKind', () => {
  it('reads the kind each layer’s errors carry', () => {
    assert.equal(errorKind(new LlmError('endpoint e: the API key was rejected (HTTP 401)', { kind: 'auth', endpointId: 'e', status: 401 })), 'auth');
    assert.equal(errorKind(new ConfigError('endpoints[e].baseUrl', 'is required')), 'config');
    assert.equal(errorKind(new BankLockedError('/b', undefined)), 'bank');
  });

  it('calls an AbortError cancelled, and anything without a kind internal', () => {
    assert.equal(errorKind(new DOMException('stopped', 'AbortError')), 'cancelled');
    assert.equal(errorKind(new Error('HTTP 401 Unauthorized')), 'internal');
    assert.equal(errorKind({ kind: 'made-up' }), 'internal');
    assert.equal(errorKind('timeout'), 'internal');
    assert.equal(errorKind(null), 'internal');
  });

  it('gives several failures their shared kind, or mixed', () => {
    assert.equal(commonKind(['connection', 'connection']), 'connection');
    assert.equal(commonKind(['connection', 'auth']), 'mixed');
    assert.equal(commonKind([]), 'mixed');
  });
});

describe('errorMessage', () => {
  it('says what anything thrown says', () => {
    assert.equal(errorMessage(new TypeError('bad')), 'bad');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage({ code: 7 }), '{"code":7}');
    assert.equal(errorMessage(undefined), 'undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(errorMessage(cyclic), 'object');
  });
});
