import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { TransformersEmbedder } from '../transformers';
import { dot, isUnit } from '../../core/util/vectorMath';
import { TINY_HIDDEN_SIZE, type TinyModel, writeTinyModel } from '../../../test/fixtures/tinyModel';
import { REPO } from '../../../test/fixtures/repo';


/** The shape of esbuild.options.mjs, the options esbuild.mjs uses for the shipped Node bundles. */
interface SharedBuildOptions {
  importMetaBanner: string;
  nodeBundleOptions(mode: { production: boolean }): esbuild.BuildOptions;
}

const TEXT = 'how do i sort a list in python';

/** Entry of the test bundle: embeds one text offline and prints `{id, dimension, vector}`. */
function entrySource(): string {
  const embedderModule = path.join(REPO, 'src', 'embed', 'transformers').split(path.sep).join('/');
  return `
import { TransformersEmbedder } from ${JSON.stringify(embedderModule)};
const [modelRoot, model, text] = process.argv.slice(2);
const embedder = new TransformersEmbedder({ model, localModelPath: modelRoot, cacheDir: modelRoot, allowRemote: false });
embedder.embed([text]).then(
  async ([vector]) => {
    console.log(JSON.stringify({ id: embedder.id, dimension: await embedder.dimension(), vector: Array.from(vector) }));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
`;
}

describe('bundled TransformersEmbedder (same esbuild options as the extension and CLI)', () => {
  let work: string;
  let model: TinyModel;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'smcs-bundle-'));
    model = await writeTinyModel(path.join(work, 'models'));
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('builds a CJS bundle that computes the same unit vector as the source', async () => {
    const shared = (await import(pathToFileURL(path.join(REPO, 'esbuild.options.mjs')).href)) as SharedBuildOptions;
    const entry = path.join(work, 'entry.ts');
    await writeFile(entry, entrySource());
    const outfile = path.join(work, 'dist', 'embed.js');
    await esbuild.build({
      ...shared.nodeBundleOptions({ production: true }),
      entryPoints: [entry],
      outfile,
      banner: { js: shared.importMetaBanner },
      logLevel: 'silent',
    });
    // Like the VSIX: only the external native runtime sits in node_modules next to dist/.
    await mkdir(path.join(work, 'node_modules'));
    await symlink(path.join(REPO, 'node_modules', 'onnxruntime-node'), path.join(work, 'node_modules', 'onnxruntime-node'), 'dir');

    const { stdout } = await promisify(execFile)(process.execPath, [outfile, model.rootDir, model.modelId, TEXT], {
      cwd: work,
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '' },
    });
    const printed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { id: string; dimension: number; vector: number[] };
    assert.equal(printed.id, `transformers:${model.modelId}`);
    assert.equal(printed.dimension, TINY_HIDDEN_SIZE);
    assert.equal(printed.vector.length, TINY_HIDDEN_SIZE);
    assert.ok(isUnit(printed.vector), 'the bundle prints a unit vector');

    const [direct] = await new TransformersEmbedder({
      model: model.modelId,
      localModelPath: model.rootDir,
      cacheDir: model.rootDir,
      allowRemote: false,
    }).embed([TEXT]);
    assert.ok(direct);
    assert.ok(dot(printed.vector, direct) > 0.99999, 'bundle and source agree');
  });
});
