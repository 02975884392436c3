/** Team keys: the id and secret parse back, and only the right secret matches its salted scrypt hash. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newSecret, parseTeamKey, saltedHash, secretMatches, teamKeyText } from '../teamKey';

it('a key names its row and carries a secret that only matches its own hash', async () => {
  const secret = newSecret();
  const key = teamKeyText(12, secret);
  assert.deepEqual(parseTeamKey(key), { keyId: 12, secret });
  assert.equal(parseTeamKey('smcs-abcdefghijklmnopqrstuvwxyz'), undefined, 'a single-user server key is not a team key');
  const { salt, hash } = await saltedHash(secret);
  assert.equal(await secretMatches(secret, salt, hash), true);
  assert.equal(await secretMatches(newSecret(), salt, hash), false);
  assert.notDeepEqual((await saltedHash(secret)).hash, hash, 'each hash has its own salt');
});
