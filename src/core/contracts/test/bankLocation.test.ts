import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BankLocationError, isTeamBankUrl, parseTeamBankUrl } from '../bankLocation';
import { ConfigError, parseConfig } from '../config';

test('a team bank URL is parsed with libpq defaults: port 5432, sslmode prefer, the display without user or password', () => {
  const l = parseTeamBankUrl('postgres://alice@db.example:5433/smcs?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=4');
  assert.deepEqual([l.user, l.host, l.port, l.database, l.sslmode, l.sslrootcert, l.connectTimeoutS, l.display], ['alice', 'db.example', 5433, 'smcs', 'verify-full', '/etc/ca.pem', 4, 'db.example:5433/smcs']);
  const d = parseTeamBankUrl('postgresql://db/smcs');
  assert.deepEqual([d.user, d.port, d.sslmode, d.display], [undefined, 5432, 'prefer', 'db:5432/smcs']);
  assert.equal(parseTeamBankUrl('postgres://bob@[::1]:5432/x').display, '[::1]:5432/x');
  assert.equal(isTeamBankUrl(' POSTGRES://h/db'), true);
  assert.equal(isTeamBankUrl('/home/me/bank'), false);
});

test('a URL with a password is refused in every form, and the message never quotes it', () => {
  for (const url of ['postgres://alice:s3cret-pw@db/smcs', 'postgres://:s3cret-pw@db/smcs', 'postgres://alice@db/smcs?password=s3cret-pw']) {
    assert.throws(
      () => parseTeamBankUrl(url),
      (e: unknown) => e instanceof BankLocationError && /password/.test(e.message) && /Set Team Bank Password/.test(e.message) && !e.message.includes('s3cret-pw'),
      url,
    );
  }
});

test('bad team bank URLs name what is wrong', () => {
  assert.throws(() => parseTeamBankUrl('postgres://db:5432/'), /names no database/);
  assert.throws(() => parseTeamBankUrl('postgres://db/smcs?sslmode=strict'), /sslmode=strict; use one of disable, allow, prefer, require, verify-ca, verify-full/);
  assert.throws(() => parseTeamBankUrl('postgres://db/smcs?sslmod=require'), /unknown parameter "sslmod"/);
  assert.throws(() => parseTeamBankUrl('postgres://db/smcs?connect_timeout=soon'), /connect_timeout=soon/);
});

test('the config refuses a bank URL with a password naming the field, and accepts one without', () => {
  assert.throws(
    () => parseConfig({ bank: 'postgres://alice:s3cret-pw@db/smcs' }),
    (e: unknown) => e instanceof ConfigError && e.field === 'bank' && !e.message.includes('s3cret-pw'),
  );
  assert.equal(parseConfig({ bank: 'postgres://alice@db/smcs?sslmode=require' }).bank, 'postgres://alice@db/smcs?sslmode=require');
  assert.equal(parseConfig({ userName: ' carol ' }).userName, 'carol');
});
