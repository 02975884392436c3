/**
 * The team bank's first steps in the panel, against a real PostgreSQL: a database without the SMCS schema is named as
 * such (not "No question bank yet"), at 300 px its reason wraps instead of being cut, Import Bank refuses before any
 * file dialog or read with Migrate Team Bank Schema as a button, and the panel's Migrate button creates the schema.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCHEMA_VERSION } from '../../src/bank/team/schema';
import { startPostgres } from '../fixtures/postgres';
import { toast } from './firstRun';
import { captureState } from './panelStates';
import { withWorkbench } from './workbench';

test('a team bank without its schema: the panel says so with Migrate Team Bank Schema, Import Bank refuses before reading a file, the panel’s Migrate creates it', async () => {
  const server = await startPostgres();
  try {
    const db = await server.createDatabase();
    const location = `${server.host}:${server.port}/${db.name}`;
    await withWorkbench('team bank first steps', { settings: { 'smcs.bank': db.owner.url }, env: { PGPASSWORD: db.owner.password } }, async (wb) => {
      await wb.openPanel();
      const section = wb.panel().locator('[data-testid="bank"][data-status="schema"]');
      await section.waitFor({ state: 'visible' });
      assert.equal(await wb.byTestId('bank-error').textContent(), `Team bank ${location}: this database has no SMCS schema yet`);
      assert.equal(await wb.byTestId('bank-empty').isVisible(), false, 'not "No question bank yet"');
      await captureState(wb, 'team-bank-no-schema', {
        scrollTo: '[data-testid="bank"]',
        check: async (frame) =>
          frame.evaluate(() => {
            const chip = document.querySelector<HTMLElement>('[data-testid="bank-error"]');
            const button = document.querySelector<HTMLElement>('[data-testid="bank-migrate"]');
            const problems: string[] = [];
            if (!chip || chip.scrollWidth > chip.clientWidth + 1) problems.push(`the bank's reason is cut (${chip?.scrollWidth} px of text in ${chip?.clientWidth} px)`);
            if (!button || button.getBoundingClientRect().width === 0) problems.push('no Migrate Team Bank Schema button');
            return problems;
          }),
      });

      await wb.runCommand('smcs.importBank');
      const refused = toast(wb, 'this database has no SMCS schema yet');
      await refused.waitFor({ state: 'visible' });
      assert.equal(await wb.page.locator('.quick-input-widget').isVisible(), false, 'no file was asked for');
      await refused.getByRole('button', { name: 'Migrate Team Bank Schema' }).waitFor({ state: 'visible' });
      await wb.screenshot('team-bank-import-refused');
      await wb.page.keyboard.press('Escape');

      await wb.byTestId('bank-migrate').click();
      await toast(wb, `the team bank schema was migrated to version ${SCHEMA_VERSION}`).waitFor({ state: 'visible' });
      await wb.panel().locator('[data-testid="bank"][data-status="none"]').waitFor({ state: 'visible' });
      assert.match((await wb.byTestId('bank-empty').textContent()) ?? '', /^No question bank yet/);
      assert.equal(await server.psql('SELECT max(version) FROM smcs.schema_version', { database: db.name }), String(SCHEMA_VERSION));
    });
  } finally {
    await server.destroy();
  }
});

