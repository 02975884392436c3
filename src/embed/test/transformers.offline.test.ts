/**
 * The TransformersEmbedder on a machine that cannot reach the model hub: a refused connection and a hub that never
 * answers both fail within seconds with an `embedding` error naming the model, the host and the ways forward.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorKind } from '../../core/contracts/errors';
import { type EmbeddingError, HubUnreachableError } from '../errors';
import { TransformersEmbedder } from '../transformers';

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says anything: a hub behind a black-holing proxy. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const MODEL = 'Xenova/all-MiniLM-L6-v2';

function assertWaysForward(error: EmbeddingError, host: string): void {
  assert.equal(errorKind(error), 'embedding');
  assert.match(error.message, new RegExp(`The embedding model ${MODEL} could not be downloaded: ${host.replace(/\./g, '\\.')} could not be reached`));
  assert.match(error.message, /"embedding": \{"provider": "lexical"\}/);
  assert.match(error.message, /embedding\.localModelPath/);
  assert.match(error.message, /"embedding": \{"provider": "endpoint", "endpoint": "<endpoint id>", "model": "<embedding model>"\}/);
  assert.deepEqual(
    error.remedies.map((r) => r.id),
    ['lexical', 'local-model', 'endpoint'],
  );
  assert.ok(error.message.startsWith(error.problem), 'the problem is the message without the ways forward');
  assert.doesNotMatch(error.problem, /Ways forward|"embedding"/);
}

describe('TransformersEmbedder when the hub cannot be reached', () => {
  let cacheDir: string;
  before(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'smcs-offline-'));
  });
  after(() => rm(cacheDir, { recursive: true, force: true }));

  it('fails at once on a refused connection, after consent, naming the model, the host and the ways forward', async (t) => {
    const port = await closedPort();
    let asked = 0;
    const embedder = new TransformersEmbedder({
      cacheDir,
      allowRemote: true,
      remoteHost: `http://127.0.0.1:${port}/`,
      consent: () => {
        asked++;
        return Promise.resolve(true);
      },
    });
    const started = performance.now();
    await assert.rejects(embedder.embed(['how do I sort a list']), (error: unknown) => {
      assert.ok(error instanceof HubUnreachableError, String(error));
      assert.equal(error.host, `127.0.0.1:${port}`);
      assert.match(error.message, /ECONNREFUSED/);
      assertWaysForward(error, `127.0.0.1:${port}`);
      return true;
    });
    const ms = performance.now() - started;
    t.diagnostic(`refused connection: failed after ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5000, `failed after ${ms} ms`);
    assert.equal(asked, 1);
    assert.deepEqual(await readdir(cacheDir), [], 'nothing was written');
  });

  it('gives up on a hub that never answers after hubTimeoutMs', async (t) => {
    const hub = await silentServer();
    try {
      const embedder = new TransformersEmbedder({ cacheDir, allowRemote: true, remoteHost: `http://127.0.0.1:${hub.port}/`, hubTimeoutMs: 300 });
      const started = performance.now();
      await assert.rejects(embedder.dimension(), (error: unknown) => {
        assert.ok(error instanceof HubUnreachableError, String(error));
        assert.match(error.message, /\(no answer within 0\.3 s\)/);
        assertWaysForward(error, `127.0.0.1:${hub.port}`);
        return true;
      });
      const ms = performance.now() - started;
      t.diagnostic(`silent hub, hubTimeoutMs 300: failed after ${ms.toFixed(0)} ms`);
      assert.ok(ms >= 290 && ms < 5000, `failed after ${ms} ms`);
    } finally {
      await hub.close();
    }
  });
});
