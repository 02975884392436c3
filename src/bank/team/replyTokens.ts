/**
 * A label's reply tokens in the team bank's columns (prompt_tokens, completion_tokens, tokens_estimated), kept as the
 * local store keeps them: float4 like its Float32Array, `estimated` only when true, none where NULL.
 */
import type { RecordedTokens } from '../../core/contracts/types';

/** The three columns as COPY text fields (null = SQL NULL); a float4 prints and parses back to the same value. */
export function tokenFields(tokens: RecordedTokens | undefined): [string | null, string | null, string | null] {
  if (!tokens) return [null, null, null];
  return [String(Math.fround(tokens.prompt)), String(Math.fround(tokens.completion)), tokens.estimated ? 't' : 'f'];
}

/** The columns as read (node-postgres gives float4 as a number, NULL as null). */
export interface TokenRow {
  prompt_tokens: number | null;
  completion_tokens: number | null;
  tokens_estimated: boolean | null;
}

export function tokensFrom(row: TokenRow): RecordedTokens | undefined {
  if (row.prompt_tokens === null || row.completion_tokens === null) return undefined;
  const tokens: RecordedTokens = { prompt: Math.fround(row.prompt_tokens), completion: Math.fround(row.completion_tokens) };
  return row.tokens_estimated ? { ...tokens, estimated: true } : tokens;
}

export const TOKEN_COLUMNS = 'prompt_tokens, completion_tokens, tokens_estimated';
