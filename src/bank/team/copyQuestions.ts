/**
 * Bulk rows into a team bank by COPY … FROM STDIN. Questions go in PostgreSQL's binary copy format, with the embedding
 * in pgvector's binary form (int16 dimension, int16 0, float4 each, network order), so vectors arrive bit for bit and
 * no float is printed or parsed on the way; label rows go in the text format.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { GraderKind, RecordSource } from '../../core/contracts/types';

/** One row of `smcs.questions` as copied (the embedding already unit length, float32). */
export interface QuestionRow {
  id: string;
  question: string;
  answer?: string;
  grader?: GraderKind;
  domain?: string;
  fold?: number;
  source?: RecordSource;
  embedding: Float32Array;
}

export const COPIED_COLUMNS = ['id', 'question', 'answer', 'grader', 'domain', 'fold', 'source', 'embedding', 'added_by', 'added_via'] as const;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function textField(value: string | undefined): Buffer[] {
  if (value === undefined) return [int32(-1)];
  const bytes = Buffer.from(value, 'utf8');
  return [int32(bytes.length), bytes];
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function vectorField(v: Float32Array): Buffer {
  const b = Buffer.alloc(4 + 4 + 4 * v.length);
  b.writeInt32BE(4 + 4 * v.length, 0);
  b.writeInt16BE(v.length, 4);
  b.writeInt16BE(0, 6);
  for (let i = 0; i < v.length; i++) b.writeFloatBE(v[i] as number, 8 + 4 * i);
  return b;
}

/** The binary copy stream of `rows`, made a batch at a time so a million rows never sit in memory as one buffer. */
function* copyChunks(rows: Iterable<QuestionRow>, addedBy: string, addedVia: string): Generator<Buffer> {
  yield Buffer.concat([SIGNATURE, int32(0), int32(0)]);
  let parts: Buffer[] = [];
  let count = 0;
  const fieldCount = Buffer.alloc(2);
  fieldCount.writeInt16BE(COPIED_COLUMNS.length);
  for (const row of rows) {
    parts.push(
      fieldCount,
      ...textField(row.id),
      ...textField(row.question),
      ...textField(row.answer),
      ...textField(row.grader),
      ...textField(row.domain),
      ...(row.fold === undefined ? [int32(-1)] : [int32(4), int32(row.fold)]),
      ...textField(row.source),
      vectorField(row.embedding),
      ...textField(addedBy),
      ...textField(addedVia),
    );
    if (++count % 2000 === 0) {
      yield Buffer.concat(parts);
      parts = [];
    }
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  yield Buffer.concat(parts);
}

/** Copies `rows` into smcs.questions in their order (which becomes bank order), inside the caller's transaction. */
export async function copyQuestions(client: pg.PoolClient | pg.ClientBase, rows: Iterable<QuestionRow>, addedBy: string, addedVia: string): Promise<void> {
  const sink = client.query(copyFrom(`COPY smcs.questions (${COPIED_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from(copyChunks(rows, addedBy, addedVia)), sink);
}

/** A value escaped for COPY's text format (backslash, and the tab, newline and carriage return that separate fields and rows). */
function copyTextValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Copies text rows into `target` (a table with its column list), inside the caller's transaction; null is SQL NULL. */
export async function copyText(client: pg.PoolClient | pg.ClientBase, target: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
  function* chunks(): Generator<string> {
    for (let i = 0; i < rows.length; i += 5000) {
      yield rows
        .slice(i, i + 5000)
        .map((row) => `${row.map((v) => (v === null ? '\\N' : copyTextValue(v))).join('\t')}\n`)
        .join('');
    }
  }
  const sink = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  await pipeline(Readable.from(chunks()), sink);
}
