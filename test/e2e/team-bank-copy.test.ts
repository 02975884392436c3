/**
 * Moving to a team bank without losing the local one, against a real PostgreSQL: switching `smcs.bank` from a local bank
 * that holds questions to a team bank offers once to copy them in; the copy is deduplicated (same id or same text),
 * merges labels (the copied label wins a conflict) and ends with a count; the Bank view then names the bank in use and
 * the local bank beside it, with Switch to Local, which puts the setting back. A team bank whose password is refused
 * shows Set Password in the Bank view, which stores it and reads the bank.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { migrateBankSchema, openBank, type NewQuestion } from '../../src/bank';
import { LexicalEmbedder } from '../../src/embed/lexical';
import { tempDir } from '../fixtures/bankData';
import { startPostgres, type PostgresRole } from '../fixtures/postgres';
import { lookAt } from './answerScenario';
import { toast, toastShown } from './firstRun';
import { until } from './polling';
import { withWorkbench, type Workbench } from './workbench';

const LOCAL_SIZE = 1250;

/** The local bank: 1,250 questions, alpha-coder right on every other one, beta-coder on all. */
function localQuestions(): Omit<NewQuestion, 'embedding'>[] {
  return Array.from({ length: LOCAL_SIZE }, (_, i) => ({
    id: `local-${i}`,
    question: `Local question ${i}: how is a list of ${i + 2} items reversed in place?`,
    domain: 'python',
    correct: { 'alpha-coder': (i % 2) as 0 | 1, 'beta-coder': 1 },
  }));
}

/**
 * The team bank before the copy: 10 questions under the local ids (other wording; alpha-coder labelled the other way,
 * beta-coder unlabelled), 20 with the local texts under other ids (labels agreeing; 5 lack beta-coder), 10 of its own.
 */
function teamQuestions(local: Omit<NewQuestion, 'embedding'>[]): Omit<NewQuestion, 'embedding'>[] {
  const sameId = local.slice(0, 10).map((q, i) => ({ id: q.id, question: `Team wording ${i}`, correct: { 'alpha-coder': (1 - (i % 2)) as 0 | 1 } }));
  const sameText = local.slice(10, 30).map((q, i) => ({ id: `team-text-${i}`, question: q.question, correct: i < 5 ? { 'alpha-coder': ((i + 10) % 2) as 0 | 1 } : { ...q.correct } }));
  const own = Array.from({ length: 10 }, (_, i) => ({ id: `team-${i}`, question: `A team question ${i} about SQL joins` }));
  return [...sameId, ...sameText, ...own];
}

async function embedAll(questions: Omit<NewQuestion, 'embedding'>[], embedder: LexicalEmbedder): Promise<NewQuestion[]> {
  const vectors = await embedder.embed(questions.map((q) => q.question));
  return questions.map((q, i) => ({ ...q, embedding: vectors[i] ?? [] }));
}

/** Changes a string user setting as a person would: in the Settings editor, found by its id. */
async function setUserSetting(wb: Workbench, key: string, value: string): Promise<void> {
  await wb.runPaletteEntry('Preferences: Open User Settings');
  const search = wb.page.locator('.settings-editor .settings-header .suggest-input-container');
  await search.click();
  await wb.page.keyboard.press('ControlOrMeta+A');
  await wb.page.keyboard.type(`@id:${key}`);
  const input = wb.page.locator('.settings-editor .settings-body .setting-item-control :is(input, textarea):visible').first();
  // The list renders its row again once the search applies, which can swallow what was typed before: type until it holds.
  for (let attempt = 1; (await input.inputValue().catch(() => '')) !== value; attempt++) {
    if (attempt > 3) throw new Error(`the Settings editor did not take ${key} = ${value}`);
    await wb.page.waitForTimeout(500);
    await input.click();
    await wb.page.keyboard.press('ControlOrMeta+A');
    await wb.page.keyboard.type(value);
  }
  await until(() => wb.userSettings()?.[key] === value, `${key} was written to the user settings`);
  await wb.page.keyboard.press('Escape');
  await wb.runPaletteEntry('View: Close All Editors');
}

/** The Bank view's choice block is whole: nothing cut, its buttons on screen. */
async function choiceProblems(frame: Awaited<ReturnType<Workbench['panelFrame']>>): Promise<string[]> {
  return frame.evaluate(() => {
    const problems: string[] = [];
    for (const id of ['bank-in-use', 'bank-local']) {
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (!el) problems.push(`no ${id}`);
      else if (el.scrollWidth > el.clientWidth + 1) problems.push(`${id} is cut (${el.scrollWidth} px of text in ${el.clientWidth} px)`);
    }
    const button = document.querySelector<HTMLElement>('[data-testid="bank-switch-local"]');
    if (!button || button.getBoundingClientRect().width === 0) problems.push('no Switch to Local button');
    return problems;
  });
}

test('switching to a team bank offers to copy the local bank; the copy counts what it did; the Bank view shows both banks and switches back; Set Password reads a team bank whose password was refused', async () => {
  const server = await startPostgres();
  const { dir, cleanup } = tempDir('smcs-e2e-local-bank-');
  try {
    const db = await server.createDatabase();
    const display = `${server.host}:${server.port}/${db.name}`;
    const embedder = new LexicalEmbedder();
    const identity = { id: embedder.id, dimension: await embedder.dimension() };
    const localDir = path.join(dir, 'bank');
    const local = localQuestions();
    const localBank = await openBank(localDir, { embedder: identity, create: true, write: true });
    await localBank.commit({ add: await embedAll(local, embedder) });
    await localBank.close();
    const as = (role: PostgresRole) => ({ password: async () => role.password });
    await migrateBankSchema(db.owner.url, as(db.owner));
    const team = await openBank(db.owner.url, { embedder: identity, create: true, write: true, ...as(db.owner), user: 'bob' });
    await team.commit({ add: await embedAll(teamQuestions(local), embedder) });
    await team.close();

    await withWorkbench('team bank copy', { settings: { 'smcs.bank': localDir }, env: { PGPASSWORD: db.owner.password } }, async (wb) => {
      await wb.openPanel();
      await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor({ state: 'visible' });
      assert.match((await wb.byTestId('bank-headline').textContent()) ?? '', /^Question bank: 1,250 questions/);
      assert.equal(await wb.byTestId('bank-choice').count(), 0, 'a local bank in use shows no choice');

      await setUserSetting(wb, 'smcs.bank', db.owner.url);
      const offer = toast(wb, 'a team bank is now in use');
      await offer.waitFor({ state: 'visible' });
      await toastShown(offer);
      assert.match((await offer.textContent()) ?? '', /Your local bank \(1,250 questions, labels included\) is kept as it is\./);
      await wb.screenshot('team-bank-copy-offer');
      await offer.getByRole('button', { name: 'Copy 1,250 questions into the team bank' }).click();

      const done = toast(wb, 'copied 1,220 questions into the team bank');
      await done.waitFor({ state: 'visible', timeout: 60000 });
      assert.match((await done.textContent()) ?? '', /SMCS: copied 1,220 questions into the team bank, 30 already there, labels merged on 15\./);
      await done.getByRole('button', { name: 'Show Details' }).waitFor({ state: 'visible' });
      await toastShown(done);
      await wb.screenshot('team-bank-copy-count');

      const sql = (query: string) => server.psql(query, { database: db.name });
      assert.equal(await sql('SELECT count(*) FROM smcs.questions'), '1260', 'the 1,220 new questions joined the 40 there');
      const label = (id: string, model: string) =>
        sql(`SELECT l.correct FROM smcs.labels l JOIN smcs.questions q ON q.seq = l.question_seq JOIN smcs.models m USING (model_id) WHERE q.id = '${id}' AND m.name = '${model}'`);
      assert.equal(await label('local-1', 'alpha-coder'), '1', 'a conflict: the copied label wins');
      assert.equal(await label('local-1', 'beta-coder'), '1', 'a label only the local bank had is merged in');
      assert.equal(await label('team-text-0', 'beta-coder'), '1', 'same text, other id: merged into the team’s question');
      assert.equal(await sql(`SELECT count(*) FROM smcs.questions WHERE question = '${local[12]?.question}'`), '1', 'same text is not added twice');
      assert.equal(await sql(`SELECT count(*) FROM smcs.label_rows r JOIN smcs.questions q ON q.seq = r.question_seq WHERE q.id = 'local-1' AND r.user_name = 'bob'`), '1', 'the team’s own row is kept in its record');

      const choice = wb.byTestId('bank-choice');
      await wb.panel().locator('[data-testid="bank-in-use"]', { hasText: '1,260 questions' }).waitFor({ state: 'visible' });
      assert.equal(await wb.byTestId('bank-in-use').textContent(), `In use: team bank (${display}) — 1,260 questions`);
      assert.equal(await wb.byTestId('bank-local').textContent(), 'Local bank: 1,250 questions');
      await choice.locator('[data-testid="bank-switch-local"]').waitFor({ state: 'visible' });
      await lookAt(wb, 'team-bank-two-banks', { scrollTo: '[data-testid="bank"]', check: choiceProblems });

      await wb.byTestId('bank-switch-local').click();
      await toast(wb, 'the local bank is in use again').waitFor({ state: 'visible' });
      assert.equal((JSON.parse(wb.userSettingsText()) as Record<string, unknown>)['smcs.bank'], localDir, 'the setting is back where it was set');
      await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor({ state: 'visible' });
      await wb.panel().locator('[data-testid="bank-choice"]').waitFor({ state: 'detached' });
      assert.match((await wb.byTestId('bank-headline').textContent()) ?? '', /^Question bank: 1,250 questions/);

      await setUserSetting(wb, 'smcs.bank', db.reader.url);
      const refused = wb.panel().locator('[data-testid="bank"][data-status="error"]');
      await refused.waitFor({ state: 'visible' });
      assert.match((await wb.byTestId('bank-error').textContent()) ?? '', /refused the password of smcs_reader/);
      await wb.byTestId('bank-set-password').waitFor({ state: 'visible' });
      assert.equal(await toast(wb, 'a team bank is now in use').count(), 0, 'the same team bank is not offered again under another role');
      await lookAt(wb, 'team-bank-password-refused', {
        scrollTo: '[data-testid="bank"]',
        check: async (frame) => [
          ...(await choiceProblems(frame)),
          ...(await frame.evaluate(() => {
            const button = document.querySelector<HTMLElement>('[data-testid="bank-set-password"]');
            return !button || button.getBoundingClientRect().width === 0 ? ['no Set Password button'] : [];
          })),
        ],
      });
      await wb.byTestId('bank-set-password').click();
      await wb.answerInputBox(db.reader.password);
      await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor({ state: 'visible' });
      assert.equal(await wb.byTestId('bank-in-use').textContent(), `In use: team bank (${display}) — 1,260 questions`);
    });
  } finally {
    cleanup();
    await server.destroy();
  }
});
