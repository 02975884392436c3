/**
 * The server's memory while it relays a 200 MB upstream stream to a client that does not read it, then reads it all:
 * measured in a process of its own (test/fixtures/serveChild.ts), it must stay under 300 MB (it stays near its idle size:
 * the upstream is read no faster than the client takes it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from '../../../test/fixtures/repo';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { CHILD_KEY } from '../../../test/fixtures/serveChild';

const STREAM_BYTES = 200 * 1024 * 1024;
const MB = 1024 * 1024;
let fake: LoopbackUpstream;
let child: ChildProcess;
let url: string;

/** The child's next message with `key`. */
function next<T>(key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !(key in message)) return;
      child.off('message', on);
      resolve((message as Record<string, T>)[key] as T);
    };
    child.on('message', on);
  });
}

const peakRss = (): Promise<number> => {
  const answer = next<number>('rss');
  child.send('rss');
  return answer;
};

before(async () => {
  fake = await startLoopbackUpstream({ models: [{ id: 'flood' }] });
  fake.script('flood', { hugeReply: { bytes: STREAM_BYTES } });
  child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(REPO, 'test', 'fixtures', 'serveChild.ts'), fake.baseUrl, 'flood'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  url = await next<string>('url');
});

after(async () => {
  child.disconnect();
  await new Promise((resolve) => child.once('exit', resolve));
  await fake.close();
});

test('a 200 MB stream to a client that does not read, then reads: the server stays under 300 MB', { timeout: 120_000 }, async (t) => {
  const idle = await peakRss();
  const req = httpRequest(`${url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CHILD_KEY}`, 'content-type': 'application/json' } });
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  // A budget that allows all 200 MB: the relay stops a stream only far past what the request asked for.
  req.end(JSON.stringify({ model: 'smcs/flood', messages: [{ role: 'user', content: 'Say a lot.' }], stream: true, max_tokens: 100_000_000 }));
  const res = await response;
  res.pause();
  await sleep(3000);
  const stalled = await peakRss();
  const upstream = fake.requests.find((r) => r.model === 'flood');
  const sentWhileStalled = upstream?.floodedBytes ?? 0;
  const started = performance.now();
  let received = 0;
  for await (const chunk of res) received += (chunk as Buffer).length;
  const readMs = performance.now() - started;
  const after = await peakRss();
  t.diagnostic(`server RSS: idle ${(idle / MB).toFixed(0)} MB; peak while the client read nothing for 3 s ${(stalled / MB).toFixed(0)} MB (the upstream had written ${(sentWhileStalled / MB).toFixed(1)} MB); peak over the whole 200 MB ${(after / MB).toFixed(0)} MB, relayed in ${(readMs / 1000).toFixed(1)} s`);
  assert.ok(sentWhileStalled < 32 * MB, `the upstream wrote ${sentWhileStalled} bytes while the client read nothing`);
  assert.ok(received > STREAM_BYTES, `the client received ${received} bytes`);
  assert.ok(after < 300 * MB, `peak RSS ${after} bytes`);
  assert.ok(after - idle < 64 * MB, `the relay grew the server by ${after - idle} bytes`);
});

test('a 200 MB JSON reply is refused at 32 MB, read no further: a 502 at once, and the server stays under 300 MB', { timeout: 60_000 }, async (t) => {
  const idle = await peakRss();
  const started = performance.now();
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CHILD_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smcs/flood', messages: [{ role: 'user', content: 'Say a lot.' }] }),
  });
  const text = await res.text();
  const answeredMs = performance.now() - started;
  const after = await peakRss();
  t.diagnostic(`server RSS: before ${(idle / MB).toFixed(0)} MB, peak ${(after / MB).toFixed(0)} MB; refused in ${(answeredMs / 1000).toFixed(1)} s`);
  assert.equal(res.status, 502);
  assert.match(text, /the reply is larger than 32 MB/);
  assert.ok(after < 300 * MB, `peak RSS ${after} bytes`);
});
