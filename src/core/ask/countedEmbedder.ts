/**
 * The embedder as one ask uses it: every priced call it makes — the workspace's retrieval included — is recorded in
 * the ask's ledger, so the run's `calls` count it; and the question, when the workspace's retrieval and the bank's
 * read the same text, is embedded once.
 */
import type { CallRecord, Embedder } from '../contracts/types';
import type { Ledger } from './askState';

/** `embedder`, recording its calls in `ledger` (besides a caller's `onCall`) and embedding a single text once per ask. */
export function countedEmbedder(embedder: Embedder, ledger: Ledger): Embedder {
  const single = new Map<string, Promise<Float32Array[]>>();
  const embed = (texts: readonly string[], signal?: AbortSignal, onCall?: (call: CallRecord) => void): Promise<Float32Array[]> =>
    embedder.embed(texts, signal, (call) => {
      ledger.record(call);
      onCall?.(call);
    });
  return {
    id: embedder.id,
    dimension: (signal) => embedder.dimension(signal),
    embed(texts, signal, onCall) {
      const [text] = texts;
      if (texts.length !== 1 || text === undefined) return embed(texts, signal, onCall);
      let vectors = single.get(text);
      if (vectors === undefined) {
        vectors = embed(texts, signal, onCall);
        single.set(text, vectors);
        // A failed or stopped embedding is not kept: asked again, the text is embedded again.
        vectors.catch(() => single.delete(text));
      }
      return vectors;
    },
  };
}
