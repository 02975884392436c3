import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_TRANSFORMERS_MODEL,
  ModelDownloadDeclinedError,
  ModelFilesMissingError,
  type ModelLoadInfo,
  TransformersEmbedder,
  type TransformersEmbedderOptions,
} from '../transformers';
import { dot, isUnit } from '../../core/util/vectorMath';
import type { DownloadConsent, DownloadProgress } from '../../core/contracts/types';
import { TINY_HIDDEN_SIZE, TINY_TOPICS, type TinyModel, writeTinyModel } from '../../../test/fixtures/tinyModel';

/** A loopback stand-in for the model hub: serves the tiny model's files and counts every request. */
interface FakeHub {
  url: string;
  /** Paths of the file downloads (GET). */
  requests: string[];
  /** Paths of the reachability checks (HEAD) made before a download. */
  probes: string[];
  close(): Promise<void>;
}

async function startFakeHub(model: TinyModel): Promise<FakeHub> {
  const requests: string[] = [];
  const probes: string[] = [];
  const prefix = `/${model.modelId}/resolve/main/`;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    (req.method === 'HEAD' ? probes : requests).push(url);
    const file = url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length)) : '';
    if (!model.files.includes(file)) {
      res.writeHead(404).end();
      return;
    }
    readFile(path.join(model.modelDir, file)).then(
      (body) => res.writeHead(200, { 'content-length': body.length }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    probes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A consent that answers `answer` and keeps the model ids it was asked about. */
function recordingConsent(answer: boolean): { asked: string[]; consent: DownloadConsent } {
  const asked: string[] = [];
  return {
    asked,
    consent: (id) => {
      asked.push(id);
      return Promise.resolve(answer);
    },
  };
}

const SORT = 'how do i sort a list in python';
const SORT_TOO = 'reverse the order of array elements';
const PETS = 'my cat and dog need to walk';

describe('TransformersEmbedder (tiny generated ONNX model)', () => {
  let work: string;
  let model: TinyModel;
  let hub: FakeHub;
  let emptyCache: () => Promise<string>;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'smcs-embed-'));
    model = await writeTinyModel(path.join(work, 'models'), { maxLength: 16 });
    hub = await startFakeHub(model);
    let caches = 0;
    emptyCache = () => mkdtemp(path.join(work, `cache-${caches++}-`));
  });

  after(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });

  function offline(extra: Partial<TransformersEmbedderOptions> = {}): TransformersEmbedder {
    return new TransformersEmbedder({
      model: model.modelId,
      cacheDir: path.join(work, 'unused-cache'),
      localModelPath: model.rootDir,
      allowRemote: false,
      remoteHost: hub.url,
      ...extra,
    });
  }

  it('is lazy: nothing loads until the first call, then it computes unit vectors offline', async () => {
    const progress: DownloadProgress[] = [];
    const loads: ModelLoadInfo[] = [];
    const embedder = offline({ onProgress: (p) => progress.push(p), onLoaded: (info) => loads.push(info) });
    assert.equal(embedder.id, `transformers:${model.modelId}`);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(loads.length, 0, 'constructing must not load anything');

    const [sort, sortToo, pets] = await embedder.embed([SORT, SORT_TOO, PETS]);
    assert.equal(loads.length, 1);
    assert.equal(loads[0]!.model, model.modelId);
    assert.equal(loads[0]!.downloaded, false);
    assert.equal(loads[0]!.dimension, TINY_HIDDEN_SIZE);
    assert.deepEqual(progress, [], 'reading a local model is not reported as a download');
    assert.ok(sort && sortToo && pets);
    for (const v of [sort, sortToo, pets]) {
      assert.equal(v.length, TINY_HIDDEN_SIZE);
      assert.ok(isUnit(v));
    }
    assert.ok(dot(sort, sortToo) > dot(sort, pets) + 0.3, `${dot(sort, sortToo)} vs ${dot(sort, pets)}`);
    assert.equal(await embedder.dimension(), TINY_HIDDEN_SIZE);
    assert.equal(hub.requests.length, 0, 'the offline folder needs no network');
  });

  it('shares one load between concurrent first calls', async () => {
    let loads = 0;
    const embedder = offline({ onLoaded: () => loads++ });
    const [a, b, dim] = await Promise.all([embedder.embed([SORT]), embedder.embed([PETS]), embedder.dimension()]);
    assert.equal(a.length, 1);
    assert.equal(b.length, 1);
    assert.equal(dim, TINY_HIDDEN_SIZE);
    assert.equal(loads, 1, 'three concurrent first calls, one load');
    await embedder.embed([SORT_TOO]);
    assert.equal(loads, 1);
  });

  it('keeps input order across batches and gives the same vectors as one-by-one embedding', async () => {
    const texts = [SORT, PETS, SORT_TOO, 'prime number sum', 'http server request', '', 'feed the kitten'];
    const batched = await offline({ batchSize: 3 }).embed(texts);
    const single = offline({ batchSize: 1 });
    assert.equal(batched.length, texts.length);
    for (let i = 0; i < texts.length; i++) {
      const [alone] = await single.embed([texts[i]!]);
      assert.ok(alone);
      assert.ok(dot(batched[i]!, alone) > 0.99999, `text ${i} moved: cosine ${dot(batched[i]!, alone)}`);
    }
    assert.ok(dot(batched[0]!, batched[1]!) < 0.9, 'distinct texts are not collapsed');
  });

  it('embeds a long text whole: two texts that share their first 500 tokens but differ after them are not the same', async () => {
    const embedder = offline();
    const words = (topic: readonly string[], n: number) => Array.from({ length: n }, (_, i) => topic[i % topic.length]).join(' ');
    const shared = words(TINY_TOPICS.sorting!, 500);
    const [pets, maths, sorting] = await embedder.embed([`${shared} ${words(TINY_TOPICS.animals!, 300)}`, `${shared} ${words(TINY_TOPICS.math!, 300)}`, shared]);
    assert.ok(pets && maths && sorting);
    assert.ok(isUnit(pets) && isUnit(maths));
    const similarity = dot(pets, maths);
    assert.ok(similarity < 0.9, `the tails differ, so the texts differ: cosine ${similarity} (it was 1 when only the first ${model.maxLength} tokens counted)`);
    assert.ok(dot(pets, sorting) > 0.6 && dot(pets, sorting) < 0.99, `the shared part still dominates: ${dot(pets, sorting)}`);
    const [onlyPets] = await embedder.embed([words(TINY_TOPICS.animals!, 300)]);
    assert.ok(onlyPets && dot(pets, onlyPets) > dot(maths, onlyPets) + 0.3, 'the tail is in the vector');
  });

  it('embeds a text that fits exactly as the model does (bit-identical to a plain pipeline call), alone or in a batch with a long text', async () => {
    const transformers = await import('@xenova/transformers');
    Object.assign(transformers.env, { allowLocalModels: true, allowRemoteModels: false, localModelPath: model.rootDir, useFSCache: false, useCustomCache: false });
    const plain = (await transformers.pipeline('feature-extraction', model.modelId, { quantized: true })) as unknown as (
      texts: string[],
      options: { pooling: 'mean'; normalize: true },
    ) => Promise<{ data: ArrayLike<number> }>;
    const expected = Array.from((await plain([SORT], { pooling: 'mean', normalize: true })).data);
    const [alone] = await offline().embed([SORT]);
    assert.deepEqual(Array.from(alone!), expected);
    const long = Array.from({ length: 40 }, () => 'cat dog').join(' ');
    const [, withLong] = await offline().embed([long, SORT]);
    assert.deepEqual(Array.from(withLong!), expected);
  });

  it('honours an AbortSignal before loading and between batches', async () => {
    const embedder = offline({ batchSize: 2 });
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(embedder.embed([SORT], aborted.signal), { name: 'AbortError' });

    const controller = new AbortController();
    const texts = [SORT, PETS, SORT_TOO, PETS, SORT];
    let slices = 0;
    const abortingTexts = new Proxy(texts, {
      get(target, prop, receiver) {
        if (prop === 'slice') {
          return (start?: number, end?: number) => {
            slices++;
            controller.abort();
            return target.slice(start, end);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    await assert.rejects(embedder.embed(abortingTexts, controller.signal), { name: 'AbortError' });
    assert.equal(slices, 1, 'the second batch never started');
  });

  it('rejects promptly when aborted while the model is loading', async () => {
    const embedder = offline();
    const controller = new AbortController();
    const pending = embedder.embed([SORT], controller.signal);
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal((await embedder.embed([SORT])).length, 1, 'the shared load still completes for later calls');
  });

  it('names the missing file when the local model folder is incomplete', async () => {
    const broken = path.join(work, 'broken');
    await cp(model.rootDir, broken, { recursive: true });
    await rm(path.join(broken, model.modelId, 'onnx', 'model_quantized.onnx'));
    const embedder = offline({ localModelPath: broken });
    await assert.rejects(embedder.dimension(), (error: unknown) => {
      assert.ok(error instanceof ModelFilesMissingError);
      assert.deepEqual(error.missing, ['onnx/model_quantized.onnx']);
      assert.match(error.message, /missing onnx\/model_quantized\.onnx/);
      assert.ok(error.message.includes(path.join(broken, model.modelId)));
      return true;
    });
    assert.equal(hub.requests.length, 0);
  });

  it('does not download when downloads are disabled and the cache is empty', async () => {
    const cacheDir = await emptyCache();
    const { asked, consent } = recordingConsent(true);
    const embedder = new TransformersEmbedder({ model: model.modelId, cacheDir, allowRemote: false, remoteHost: hub.url, consent });
    await assert.rejects(embedder.embed([SORT]), /missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx\. Downloads are disabled/);
    assert.equal(asked.length, 0);
    assert.equal(hub.requests.length, 0);
  });

  it('asks once and makes no request when the user declines the download', async () => {
    const cacheDir = await emptyCache();
    const { asked, consent } = recordingConsent(false);
    const embedder = new TransformersEmbedder({ model: model.modelId, cacheDir, allowRemote: true, remoteHost: hub.url, consent });
    await assert.rejects(embedder.embed([SORT]), (error: unknown) => {
      assert.ok(error instanceof ModelDownloadDeclinedError);
      assert.match(error.message, /declined.*"lexical".*localModelPath/s);
      return true;
    });
    await assert.rejects(embedder.dimension(), ModelDownloadDeclinedError);
    assert.deepEqual(asked, [model.modelId], 'asked exactly once');
    assert.equal(hub.requests.length + hub.probes.length, 0, 'no request reached the hub');
  });

  it('asks again after askAgain() (an import the user starts anew), and downloads once the answer is yes', async () => {
    const cacheDir = await emptyCache();
    const answers = [false, true];
    const asked: string[] = [];
    const consent: DownloadConsent = (id) => {
      asked.push(id);
      return Promise.resolve(answers.shift() ?? false);
    };
    const embedder = new TransformersEmbedder({ model: model.modelId, cacheDir, allowRemote: true, remoteHost: hub.url, consent });
    await assert.rejects(embedder.dimension(), ModelDownloadDeclinedError);
    embedder.askAgain();
    assert.equal(await embedder.dimension(), TINY_HIDDEN_SIZE);
    assert.deepEqual(asked, [model.modelId, model.modelId], 'asked once more after askAgain');
    embedder.askAgain();
    await embedder.embed([SORT]);
    assert.equal(asked.length, 2, 'a granted download is not asked about again');
  });

  it('downloads after consent with progress, then reuses the cache without asking again', async () => {
    const cacheDir = await emptyCache();
    const { asked, consent } = recordingConsent(true);
    const progress: DownloadProgress[] = [];
    const loads: ModelLoadInfo[] = [];
    const options: TransformersEmbedderOptions = {
      model: model.modelId,
      cacheDir,
      allowRemote: true,
      remoteHost: hub.url,
      consent,
      onProgress: (p) => progress.push(p),
      onLoaded: (info) => loads.push(info),
    };
    const before = hub.requests.length;
    const probesBefore = hub.probes.length;
    const [downloaded] = await new TransformersEmbedder(options).embed([SORT]);
    assert.deepEqual(asked, [model.modelId]);
    assert.deepEqual(hub.requests.slice(before).sort(), model.files.map((f) => `/${model.modelId}/resolve/main/${f}`).sort());
    assert.deepEqual(hub.probes.slice(probesBefore), [`/${model.modelId}/resolve/main/config.json`], 'one reachability check before the download');
    for (const file of model.files) {
      const cached = await readFile(path.join(cacheDir, model.modelId, file));
      assert.deepEqual(cached, await readFile(path.join(model.modelDir, file)), `${file} is cached whole`);
    }
    const leftovers = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.partial'));
    assert.deepEqual(leftovers, [], 'no temporary files remain');
    const onnxDone = progress.find((p) => p.file === 'onnx/model_quantized.onnx' && p.percent === 100);
    assert.ok(onnxDone?.totalBytes && onnxDone.totalBytes === onnxDone.loadedBytes, JSON.stringify(onnxDone));

    const afterDownload = hub.requests.length;
    const [cached] = await new TransformersEmbedder({ ...options, allowRemote: false }).embed([SORT]);
    const [again] = await new TransformersEmbedder(options).embed([SORT]);
    assert.equal(hub.requests.length, afterDownload, 'the cached model needs no network');
    assert.equal(hub.probes.length, probesBefore + 1);
    assert.equal(asked.length, 1, 'no consent is asked for a cached model');
    assert.deepEqual(loads.map((l) => l.downloaded), [true, false, false]);

    await rm(path.join(cacheDir, model.modelId, 'onnx', 'model_quantized.onnx'));
    const [repaired] = await new TransformersEmbedder(options).embed([SORT]);
    assert.deepEqual(hub.requests.slice(afterDownload), [`/${model.modelId}/resolve/main/onnx/model_quantized.onnx`], 'only the missing file is fetched');
    assert.equal(asked.length, 2, 'a missing file needs consent again');
    assert.ok(repaired && cached && again && downloaded);
    assert.deepEqual(Array.from(repaired), Array.from(downloaded));
    assert.deepEqual(Array.from(cached), Array.from(downloaded));
    assert.deepEqual(Array.from(again), Array.from(downloaded));
  });

  it('validates its options', () => {
    const cacheDir = path.join(work, 'unused-cache');
    assert.equal(new TransformersEmbedder({ cacheDir, allowRemote: false }).id, `transformers:${DEFAULT_TRANSFORMERS_MODEL}`);
    assert.throws(() => new TransformersEmbedder({ cacheDir, allowRemote: false, model: '../etc' }), /model must be a hub id/);
    assert.throws(() => new TransformersEmbedder({ cacheDir, allowRemote: false, batchSize: 0 }), /batchSize must be a positive integer, got 0/);
    assert.throws(() => new TransformersEmbedder({ cacheDir: '', allowRemote: false }), /cacheDir is required/);
  });
});
