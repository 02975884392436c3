/**
 * Failures of the embedders, kind `embedding`: each names the model and carries the ways forward as data
 * (`remedies`), which the message spells out as config keys for the CLI and the panel offers as buttons.
 */
import type { ErrorKind } from '../core/contracts/errors';
import { cleanMessage } from '../core/util/redact';

/** A way forward when the embedding model cannot be used. */
export interface EmbeddingRemedy {
  /** `lexical`: the built-in lexical embedder; `local-model`: a folder with the model; `endpoint`: an /embeddings endpoint. */
  id: 'lexical' | 'local-model' | 'endpoint';
  /** What to do, naming the config keys (the CLI config; in VS Code the same keys under `smcs.`). */
  text: string;
}

/** The three ways forward for `model`: no model at all, the model from a local folder, or an embedding server. */
function embeddingRemedies(model: string): EmbeddingRemedy[] {
  return [
    { id: 'lexical', text: 'the lexical embedder (no download, weaker retrieval): "embedding": {"provider": "lexical"}' },
    { id: 'local-model', text: `a copy of the model on this machine: set embedding.localModelPath to a folder that contains ${model}/` },
    { id: 'endpoint', text: 'an /embeddings endpoint: "embedding": {"provider": "endpoint", "endpoint": "<endpoint id>", "model": "<embedding model>"}' },
  ];
}

/** The embedding model could not be loaded or run. The message is redacted (a hub mirror URL may carry credentials). */
export class EmbeddingError extends Error {
  readonly kind = 'embedding' satisfies ErrorKind;
  /** What went wrong, without the ways forward (for a front end that offers them as buttons), redacted. */
  readonly problem: string;

  constructor(
    readonly model: string,
    /** What went wrong, as one or more sentences. */
    problem: string,
    readonly remedies: readonly EmbeddingRemedy[] = embeddingRemedies(model),
    options?: { cause: unknown },
  ) {
    super(cleanMessage(remedies.length > 0 ? `${problem} Ways forward: ${remedies.map((r) => r.text).join('; ')}.` : problem), options);
    this.name = 'EmbeddingError';
    this.problem = cleanMessage(problem);
  }
}

/** The model hub (or its mirror) could not be reached to download the model. */
export class HubUnreachableError extends EmbeddingError {
  constructor(
    model: string,
    /** Host name of the hub, e.g. `huggingface.co`. */
    readonly host: string,
    reason: string,
    options?: { cause: unknown },
  ) {
    super(model, `The embedding model ${model} could not be downloaded: ${host} could not be reached (${reason}).`, embeddingRemedies(model), options);
    this.name = 'HubUnreachableError';
  }
}
