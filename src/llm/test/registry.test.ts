import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/contracts/config';
import { endpointModels, ModelTable } from '../registry';
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
