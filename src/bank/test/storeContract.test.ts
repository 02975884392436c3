import { after, describe } from 'node:test';
import * as path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { bankContract } from '../../../test/fixtures/bankContract';

const { dir, cleanup } = tempDir('smcs-contract-local-');
after(cleanup);
let n = 0;

describe('the local store keeps the bank contract', () => {
  bankContract(() => ({ fresh: async () => path.join(dir, `bank-${n++}`), access: {} }));
});
