import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { writeSyntheticMmluPro } from '../../../bench/mmluProSynth';
import { tempDir } from '../../../../test/fixtures/bankData';
import { runCliHere as runCli, startCli } from '../../../../test/fixtures/cliRun';
import { mcQuestions, mmluProRecord, writeMmluProFile } from '../../../../test/fixtures/importerData';

const { dir: root, cleanup } = tempDir('smcs-cli-import-');
after(cleanup);
const env = { SMCS_HOME: path.join(root, 'home') };
let n = 0;
/** A config file with the lexical embedder and a bank folder that does not exist yet. */
function config(extra: Record<string, unknown> = {}): { file: string; bank: string } {
  const bank = path.join(root, `bank-${n}`, 'inner');
  const file = path.join(root, `config-${n++}.json`);
  writeFileSync(file, JSON.stringify({ endpoints: [], embedding: { provider: 'lexical' }, bank, ...extra }));
  return { file, bank };
}

interface Summary {
  added: number;
  size: number;
  files: number;
  entries: number;
  skipped: { reason: string; count: number; examples: { file: string; at: string }[] }[];
}

describe('smcs bank import: records that can be used are imported, the others counted per reason', () => {
  it('imports the published set shape (single-option records, bare strings) with a per-reason summary in JSON and text, and progress on stderr', async () => {
    const set = await writeSyntheticMmluPro(path.join(root, 'published'), { files: 4, questions: 30, bareStrings: 7, singleOption: { questions: 5, files: 3 } });
    const { file } = config();
    const json = await runCli(['bank', 'import', '--config', file, path.join(root, 'published'), '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout) as Summary;
    assert.deepEqual([summary.added, summary.size, summary.files, summary.entries], [30, 30, 4, 4 * 30 + 7]);
    assert.deepEqual(summary.skipped.map((s) => [s.reason, s.count, s.examples.length]), [['not-a-record', 7, 5]]);
    assert.ok(summary.skipped[0]!.examples.every((e) => e.file === set.bareStringFile && /^index \d+$/.test(e.at)));
    assert.match(json.stderr, /reading files 0\/4/);
    assert.match(json.stderr, /embedding questions \d+\/30/);
    assert.match(json.stderr, /writing the bank/);

    const second = config();
    const text = await runCli(['bank', 'import', '--config', second.file, path.join(root, 'published')], env);
    assert.equal(text.code, 0, text.stderr);
    const line = text.stdout.split('\n').find((l) => l.includes('skipped 7 not-a-record'));
    assert.ok(line, text.stdout);
    assert.match(line, new RegExp(`skipped 7 not-a-record \\(the entry is not a JSON object\\): ${set.bareStringFile.replace(/\./g, '\\.')} index \\d+, index \\d+, index \\d+ \\(and 4 more\\)$`));
    assert.match(text.stdout, /read 127 entries from 4 files; 7 skipped \(--strict refuses instead\)/);
  });

  it('refuses an import where no record can be used, leaving no folder behind', async () => {
    const { file, bank } = config();
    await writeMmluProFile(path.join(root, 'junk'), 'm', ['not a record', 7]);
    const out = await runCli(['bank', 'import', '--config', file, path.join(root, 'junk')], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /no record could be used: model_outputs_m_5shots\.json index 0: \(record\): must be a JSON object/);
    assert.equal(existsSync(path.dirname(bank)), false);
  });

  it('refuses empty input (an empty .jsonl, blank lines, []), strict or not, naming the file and leaving no folder behind', async () => {
    const cases: [string, string, RegExp][] = [
      ['empty.jsonl', '', /no questions found in empty\.jsonl: the file is empty/],
      ['blank.jsonl', '\n\n  \n', /no questions found in blank\.jsonl: the file holds only blank lines/],
      ['model_outputs_m_5shots.json', '[]', /no questions found in model_outputs_m_5shots\.json: the file is an empty JSON list/],
    ];
    for (const [name, text, message] of cases) {
      const input = path.join(root, 'empty-input', name);
      mkdirSync(path.dirname(input), { recursive: true });
      writeFileSync(input, text);
      for (const strict of [[], ['--strict']]) {
        const { file, bank } = config();
        const out = await runCli(['bank', 'import', '--config', file, input, ...strict], env);
        assert.equal(out.code, 1, out.stdout);
        assert.match(out.stderr, message);
        assert.equal(out.stdout, '');
        assert.equal(existsSync(path.dirname(bank)), false);
      }
    }
  });

  it('a file of another format than --format says what it looks like', async () => {
    const input = path.join(root, 'two-questions.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'a', question: 'A?' })}\n${JSON.stringify({ id: 'b', question: 'B?' })}\n`);
    for (const format of ['mmlu-pro', 'lm-eval']) {
      const { file, bank } = config();
      const out = await runCli(['bank', 'import', '--config', file, '--format', format, input], env);
      assert.equal(out.code, 1);
      assert.match(out.stderr, new RegExp(`two-questions\\.jsonl file: \\(file\\): does not look like ${format} input .*it looks like JSON Lines: did you mean --format jsonl\\?`));
      assert.equal(existsSync(path.dirname(bank)), false);
    }
  });

  it('imports a folder given with --format jsonl, symlinked files and a byte order mark included', async () => {
    const { file } = config();
    const folder = path.join(root, 'jsonl-folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.jsonl'), `\uFEFF${JSON.stringify({ id: 'a', question: 'A?' })}\n`);
    writeFileSync(path.join(root, 'elsewhere.jsonl'), `${JSON.stringify({ id: 'b', question: 'B?' })}\n`);
    symlinkSync(path.join(root, 'elsewhere.jsonl'), path.join(folder, 'b.jsonl'));
    const out = await runCli(['bank', 'import', '--config', file, '--format', 'jsonl', folder, '--json'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual([JSON.parse(out.stdout).added, JSON.parse(out.stdout).skipped], [2, []]);
  });

  it('a file given as --bank is a clear error (exit 1), and the file is left as it was', async () => {
    const { file } = config();
    const notAFolder = path.join(root, 'plain-file');
    writeFileSync(notAFolder, 'x');
    const jsonl = path.join(root, 'one.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ id: 'a', question: 'A?' })}\n`);
    const out = await runCli(['bank', 'import', '--config', file, '--bank', notAFolder, jsonl], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /the bank location .*plain-file is a file, not a folder/);
  });
});

/** An OpenAI-compatible server on loopback (`/v1/models`, `/v1/embeddings`); the embeddings route answers the first `answered` requests, then fails (400) or, with `hold`, never answers. */
async function embeddingServer(answered: number, hold: boolean): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      if (req.url !== '/v1/embeddings') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'chat', object: 'model' }, { id: 'emb', object: 'model' }] }));
        return;
      }
      requests++;
      if (requests > answered) {
        if (hold) return;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'embedding model unloaded', type: 'invalid_request_error' } }));
        return;
      }
      const input = (JSON.parse(body) as { input: string[] }).input;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: input.map((_, index) => ({ object: 'embedding', index, embedding: [1, index + 1, 0.5, 0.25] })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a failed or cancelled import into a new folder leaves no trace', () => {
  const questions = mcQuestions(70);
  const input = async () => writeMmluProFile(path.join(root, 'seventy'), 'm', questions.map((q) => mmluProRecord(q, q.answer)));
  const endpointConfig = (url: string) => config({ endpoints: [{ id: 'e', provider: 'vllm', baseUrl: url, models: ['chat'] }], embedding: { provider: 'endpoint', endpoint: 'e', model: 'emb' } });

  it('an embedding failure half-way removes the folder the import created', async () => {
    const server = await embeddingServer(2, false);
    try {
      const { file, bank } = endpointConfig(server.url);
      const out = await runCli(['bank', 'import', '--config', file, await input()], env);
      assert.equal(out.code, 1, out.stderr);
      assert.match(out.stderr, /embedding model unloaded/);
      assert.equal(existsSync(path.dirname(bank)), false, `left behind: ${existsSync(bank) ? readdirSync(bank).join(', ') : ''}`);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C during the embedding removes the folder the import created', async () => {
    const server = await embeddingServer(2, true);
    try {
      const { file, bank } = endpointConfig(server.url);
      const { child, done } = startCli(['bank', 'import', '--config', file, await input()], env);
      const deadline = Date.now() + 30_000;
      while (server.requests() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(existsSync(bank), 'the bank was created before the embedding stalled');
      child.kill('SIGINT');
      const out = await done;
      assert.equal(out.code, 130, out.stderr);
      assert.equal(existsSync(path.dirname(bank)), false, `left behind: ${existsSync(bank) ? readdirSync(bank).join(', ') : ''}`);
    } finally {
      await server.close();
    }
  });
});
