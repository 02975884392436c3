/**
 * Failures of a team bank's connection as node-postgres reports them: each is "the bank is unavailable" (the ask goes on
 * without it), whatever moment of a query the server went away at.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { it } from 'node:test';
import pg from 'pg';
import { describePostgres } from '../../../../test/fixtures/postgres';
import { parseTeamBankUrl } from '../../../core/contracts/bankLocation';
import { BankUnavailableError } from '../../errors';
import { isConnectionFailure, unavailable } from '../connection';

describePostgres('a team bank connection that breaks', (server) => {
  it('a query on a client whose connection broke between two queries is a connection failure, not a statement error', async () => {
    const location = parseTeamBankUrl(server().owner.url);
    const client = new pg.Client({ host: server().host, port: server().port, database: location.database, user: server().owner.user, password: server().owner.password });
    await client.connect();
    try {
      const broke = once(client, 'error');
      client.on('error', () => undefined);
      assert.ok((await server().terminateBackends()) >= 1);
      await broke;
      // What a transaction's second statement meets when the server went away after its first: node-postgres refuses it.
      const err = await client.query('SELECT 1').then(() => undefined, (e: unknown) => e);
      assert.match(String((err as Error | undefined)?.message), /not queryable/);
      assert.ok(isConnectionFailure(err));
      const told = unavailable(err, location);
      assert.ok(told instanceof BankUnavailableError, String(told));
      assert.match(told.message, new RegExp(`${location.host}:${location.port}`));
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('a client the caller closed is not a connection failure', async () => {
    const location = parseTeamBankUrl(server().owner.url);
    const client = new pg.Client({ host: server().host, port: server().port, database: location.database, user: server().owner.user, password: server().owner.password });
    await client.connect();
    await client.end();
    const err = await client.query('SELECT 1').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.equal(isConnectionFailure(err), false);
  });
});
