/**
 * Telemetry as shipped: an installed copy of the extension (VS Code never sends telemetry for an extension under
 * development) whose package.json names a loopback ingestion endpoint. The real reporter posts real payloads;
 * they must carry counts and timings and never the question, the answer, the key, hosts, paths or model names.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { FAKE_MODELS, withWorkbench } from './workbench';

interface Envelope {
  data?: { baseData?: { name?: string; properties?: Record<string, string>; measurements?: Record<string, number> } };
}

const repoRoot = path.resolve(__dirname, '..', '..');
const QUESTION = 'qmarker-5d1e How do I memoise a recursive function in Python?';
const ANSWER = 'amarker-82c4 Use functools.lru_cache on the function.';
const KEY = 'sk-e2e-telemetry-0c9b1f3e';

/** An ingestion endpoint on loopback collecting Application Insights envelopes. */
async function startIngestion(): Promise<{ port: number; envelopes: Envelope[]; close(): Promise<void> }> {
  const envelopes: Envelope[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url?.startsWith('/v2/track')) {
        const parsed: unknown = JSON.parse(body);
        envelopes.push(...((Array.isArray(parsed) ? parsed : [parsed]) as Envelope[]));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    envelopes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Lays out an installed copy of the built extension whose package.json carries `connectionString`. */
function installedCopy(connectionString: string): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; telemetryConnectionString: string };
  const extensionsDir = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-installed-'));
  const dir = path.join(extensionsDir, `smcs.smcs-${pkg.version}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, telemetryConnectionString: connectionString }, null, 2));
  for (const part of ['dist', 'media']) cpSync(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return extensionsDir;
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('telemetry of an installed copy reaches the ingestion endpoint with counts and timings only', async () => {
  const ingestion = await startIngestion();
  const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:${ingestion.port}/`;
  const extensionsDir = installedCopy(connectionString);
  try {
    await withWorkbench(
      'telemetry',
      {
        installedExtensionsDir: extensionsDir,
        telemetryUrl: `http://127.0.0.1:${ingestion.port}/code-server`,
        apiKey: KEY,
      },
      async (wb) => {
        for (const model of FAKE_MODELS) wb.fake.script(model, { reply: ANSWER });
        await wb.openPanel();
        await wb.runCommand('smcs.ask');
        await wb.answerInputBox(QUESTION);
        await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
        assert.ok(wb.fake.requests.some((r) => wb.fake.sentKey(r, KEY)), 'the key did not reach the models');

        // The SDK batches events and sends them every 15 s.
        const askDone = await waitFor(
          () => ingestion.envelopes.find((e) => e.data?.baseData?.name?.endsWith('/ask.done')),
          'no ask.done event reached the ingestion endpoint',
          60000,
        );
        const measurements = askDone.data?.baseData?.measurements ?? {};
        assert.equal(typeof measurements.totalMs, 'number');
        const ours = JSON.stringify(ingestion.envelopes.filter((e) => e.data?.baseData?.name?.startsWith('smcs.smcs/')));
        const forbidden = ['qmarker-5d1e', 'memoise', 'amarker-82c4', 'lru_cache', KEY, `127.0.0.1:${wb.fake.port}`, wb.folder, ...FAKE_MODELS];
        for (const secret of forbidden) assert.ok(!ours.includes(secret), `a telemetry payload contains ${JSON.stringify(secret)}`);
      },
    );
  } finally {
    await ingestion.close();
    rmSync(extensionsDir, { recursive: true, force: true });
  }
});
