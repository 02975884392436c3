import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalBankAside, switchToLocalWrite, type CopyOffer } from '../localBankAside';

const TEAM = 'postgres://ann@db.example:5432/smcs?sslmode=require';
const DEFAULT = '/storage/bank';

/** The host's wiring with plain data: a memory like globalState, folders with their sizes, and the offers shown. */
function host(sizes: Record<string, number>, memory = new Map<string, unknown>(), reachable = { now: true }) {
  const offers: CopyOffer[] = [];
  const aside = new LocalBankAside({
    memory: { get: (k) => memory.get(k), update: async (k, v) => void memory.set(k, v) },
    folderOf: (setting) => setting ?? DEFAULT,
    sizeOf: async (folder) => sizes[folder] ?? 0,
    offer: (o) => offers.push(o),
    reachable: async () => reachable.now,
  });
  return { aside, offers, memory };
}

describe('the local bank beside a team bank: when the copy is offered', () => {
  it('offers once when the bank in use changes from a local bank holding questions to a team bank', async () => {
    const { aside, offers } = host({ '/home/ann/bank': 12413 });
    await aside.observe('/home/ann/bank');
    assert.deepEqual(offers, []);
    await aside.observe(TEAM);
    assert.deepEqual(offers, [{ team: TEAM, local: '/home/ann/bank', size: 12413 }]);
    await aside.observe(TEAM);
    await aside.observe('/home/ann/bank');
    await aside.observe(TEAM);
    await aside.observe('postgres://reader@db.example:5432/smcs');
    assert.equal(offers.length, 1, 'not again for the same team bank (whichever role) and local bank, whatever the answer was');
  });

  it('does not offer before the team bank can be reached (no password yet), and offers once it can', async () => {
    const reachable = { now: false };
    const { aside, offers, memory } = host({ '/home/ann/bank': 7 }, new Map(), reachable);
    await aside.observe('/home/ann/bank');
    await aside.observe(TEAM);
    assert.deepEqual(offers, [], 'a copy could not work yet');
    assert.equal(memory.get('smcs.copyOffersMade'), undefined, 'no offer is used up');
    reachable.now = true;
    await aside.observe(TEAM);
    assert.deepEqual(offers, [{ team: TEAM, local: '/home/ann/bank', size: 7 }]);
  });

  it('offers on the first use of a team bank while the default local bank holds questions (the switch happened while VS Code was closed)', async () => {
    const { aside, offers } = host({ [DEFAULT]: 40 });
    await aside.observe(` ${TEAM} `);
    assert.deepEqual(offers, [{ team: TEAM, local: DEFAULT, size: 40 }]);
  });

  it('remembers the local bank across sessions, and offers again for another team bank', async () => {
    const memory = new Map<string, unknown>();
    const first = host({ '/data/bank': 5 }, memory);
    await first.aside.observe('/data/bank');
    await first.aside.observe(TEAM);
    const later = host({ '/data/bank': 5 }, memory);
    await later.aside.observe(TEAM);
    assert.deepEqual(later.offers, [], 'the offer was made in the earlier session');
    await later.aside.observe('postgres://ann@other:5432/smcs');
    assert.deepEqual(later.offers, [{ team: 'postgres://ann@other:5432/smcs', local: '/data/bank', size: 5 }]);
  });

  it('does not offer for an empty or missing local bank, nor while a folder is in use', async () => {
    const { aside, offers, memory } = host({});
    await aside.observe(undefined);
    await aside.observe(TEAM);
    await aside.observe('/somewhere/else');
    assert.deepEqual(offers, []);
    assert.equal(memory.get('smcs.copyOffersMade'), undefined, 'an empty local bank uses up no offer');
  });

  it('tells the Bank view the team bank in use and the local bank beside it, only while a team bank is in use', async () => {
    const { aside } = host({ '/home/ann/bank': 12413 });
    await aside.observe('/home/ann/bank');
    assert.equal(await aside.choice('/home/ann/bank'), undefined);
    assert.deepEqual(await aside.choice(TEAM), { team: 'db.example:5432/smcs', local: { location: '/home/ann/bank', size: 12413 } });
    assert.equal(aside.localSetting(), '/home/ann/bank');
  });
});

describe('Switch to Local: where smcs.bank is written', () => {
  it('writes the remembered local value in the scope that set the team bank', () => {
    assert.deepEqual(switchToLocalWrite({ workspaceValue: TEAM, globalValue: '/g' }, '/home/ann/bank', '/home/ann/bank'), { scope: 'workspace', value: '/home/ann/bank' });
    assert.deepEqual(switchToLocalWrite({ globalValue: TEAM }, '/home/ann/bank', '/home/ann/bank'), { scope: 'global', value: '/home/ann/bank' });
    assert.deepEqual(switchToLocalWrite({ workspaceFolderValue: TEAM }, '~/bank', '/home/ann/bank'), { scope: 'workspaceFolder', value: '~/bank' });
  });

  it('removes the value for the default folder, unless a broader scope sets one, then writes the folder out', () => {
    assert.deepEqual(switchToLocalWrite({ globalValue: TEAM }, undefined, DEFAULT), { scope: 'global', value: undefined });
    assert.deepEqual(switchToLocalWrite({ workspaceValue: TEAM, globalValue: TEAM }, undefined, DEFAULT), { scope: 'workspace', value: DEFAULT });
  });
});
