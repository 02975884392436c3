import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { telemetryConnectionString } from '../telemetry';

test('the connection string is package.json telemetryConnectionString, trimmed; empty, missing or not a string means none', () => {
  assert.equal(telemetryConnectionString({ telemetryConnectionString: '  InstrumentationKey=abc;IngestionEndpoint=http://127.0.0.1:9/ ' }), 'InstrumentationKey=abc;IngestionEndpoint=http://127.0.0.1:9/');
  for (const manifest of [{ telemetryConnectionString: '' }, { telemetryConnectionString: '   ' }, { telemetryConnectionString: 42 }, { name: 'smcs' }, null, undefined, 'smcs']) {
    assert.equal(telemetryConnectionString(manifest), undefined, JSON.stringify(manifest));
  }
});
