import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/contracts/config';
import { endpointModels, isWholeMethodModel, ModelTable } from '../registry';
import { parsedEndpoint as endpoint } from '../../../test/fixtures/gatewayData';

describe('model table', () => {
  it('uses aliases as keys and names both endpoints of a duplicate key', () => {
    const a = endpoint({ id: 'a', models: ['m1', { id: 'm2', alias: 'two' }] });
    const b = endpoint({ id: 'b', models: ['two'] });
    const ma = endpointModels(a, [{ id: 'm1', contextWindow: 100 }]);
    assert.deepEqual(ma.map((m) => [m.key, m.modelId, m.contextWindow]), [
      ['m1', 'm1', 100],
      ['two', 'm2', undefined],
    ]);
    assert.throws(
      () => new ModelTable([...ma, ...endpointModels(b, undefined)]),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[b].models' && /endpoint a \(model m2\)/.test(e.message) && /endpoint b \(model two\)/.test(e.message),
    );
  });

  it('rejects an endpoint without models when discovery found none', () => {
    assert.throws(
      () => endpointModels(endpoint({ id: 'empty' }), []),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[empty].models' && /listed no models/.test(e.message),
    );
  });
});

describe('a team server endpoint', () => {
  it('offers only its pass-through models: its whole-method ones would nest an ask in each call', () => {
    const team = endpoint({ id: 'team', baseUrl: 'http://team.test/v1', teamServer: true });
    const listed = ['smcs', 'smcs-quality', 'smcs-balanced', 'smcs-budget', 'smcs-fast', 'smcs/qwen-7b', 'smcs/llama-8b'].map((id) => ({ id }));
    assert.deepEqual(
      endpointModels(team, listed).map((m) => m.key),
      ['smcs/qwen-7b', 'smcs/llama-8b'],
    );
    assert.throws(() => endpointModels(endpoint({ id: 'team', teamServer: true, models: ['smcs/qwen-7b', 'smcs'] }), listed), /names "smcs", the team server's whole method/);
    // On an endpoint that is no team server, a model of that name is the provider's own.
    assert.deepEqual(
      endpointModels(endpoint({ id: 'other' }), [{ id: 'smcs' }]).map((m) => m.key),
      ['smcs'],
    );
    assert.equal(isWholeMethodModel('smcs/qwen-7b'), false);
  });
});
