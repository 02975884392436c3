/** Who may create the pgvector extension (PostgreSQL's rule), and what the migration says or asks for when it may not. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BankSchemaError } from '../../errors';
import { extensionPlan, type ExtensionRights } from '../schema';

const owner: ExtensionRights = { role: 'alice', database: 'smcs', available: true, superuser: false, trusted: true, mayCreate: true, owner: true };

it('a database owner creates a trusted pgvector and is told why it could', () => {
  assert.deepEqual(extensionPlan(owner, 'db:5432/smcs'), { reason: 'pgvector is a trusted extension and the role alice owns the database' });
  assert.deepEqual(extensionPlan({ ...owner, owner: false }, 'db:5432/smcs'), { reason: 'pgvector is a trusted extension and the role alice may create in the database' });
});

it('a role without CREATE on the database, or facing an untrusted pgvector, is told to ask a DBA; a server without pgvector is named', () => {
  const noCreate = extensionPlan({ ...owner, owner: false, mayCreate: false }, 'db:5432/smcs');
  assert.ok(noCreate instanceof BankSchemaError && /no CREATE privilege on database smcs/.test(noCreate.message) && /ask a database administrator/.test(noCreate.message));
  const untrusted = extensionPlan({ ...owner, trusted: false }, 'db:5432/smcs');
  assert.ok(untrusted instanceof BankSchemaError && /only a superuser may/.test(untrusted.message));
  assert.deepEqual(extensionPlan({ ...owner, trusted: false, superuser: true }, 'db:5432/smcs'), { reason: 'the role alice is a superuser' });
  const absent = extensionPlan({ ...owner, superuser: true, available: false }, 'db:5432/smcs');
  assert.ok(absent instanceof BankSchemaError && /the server has no pgvector installed/.test(absent.message));
});
