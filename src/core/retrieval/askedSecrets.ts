/**
 * The secret files a question asks about, whether or not the workspace is searched for it: those whose path or kind
 * shares a telling word with the question ("Which environment variables and secrets does this project need?" asks
 * about `.env` — an environment file — and `deploy/app-secrets.yaml`), and those that set a name the question names
 * ("Where is OPENAI_API_KEY read?" and the `.env` that sets it: the file that would have gone, were it not secret).
 * They are never sent; naming them tells the user they exist and why they were withheld (core/secrets/secretFiles
 * withheldNote).
 */
import { mentionsIn } from './mentions';
import { questionParts } from './questionCode';
import { DISTINCTIVE_WEIGHT } from './ranking';
import { specificity } from './specificity';
import { hash, termsIn } from './terms';

/** A file left out as secret, and what kind of secret it is ("environment file", "secrets file"). */
export interface SecretFileRef {
  path: string;
  kind: string;
}

/**
 * The secret files whose path or kind holds one of the question's distinctive words (core/retrieval/specificity), or
 * that set a name the question names (`keys`: the names each file sets, by path).
 */
export function askedSecrets<F extends SecretFileRef>(question: string, files: readonly F[], keys: ReadonlyMap<string, readonly string[]> = new Map()): F[] {
  if (files.length === 0) return [];
  // A pasted issue's template ("- Extra tools: No") asks about nothing.
  const asked = new Set(termsIn(questionParts(question).said).map(hash).filter((id) => specificity(id) >= DISTINCTIVE_WEIGHT));
  const named = new Set(mentionsIn(question).identifiers);
  return files.filter((f) => termsIn(`${f.path.replace(/[/\\._-]/g, ' ')} ${f.kind}`).some((term) => asked.has(hash(term))) || (keys.get(f.path) ?? []).some((k) => named.has(k)));
}
