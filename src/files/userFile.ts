/**
 * Files the user names (a config, an attachment, an import, an eval set, a thread) are read only when they are regular
 * files of a bounded size: a named pipe could block forever, a device (`/dev/zero`) never ends, a folder is not a file.
 * The file is opened without blocking and checked on the open handle (no window between the check and the read), then
 * read to at most its limit; every refusal names how the user gave the file and what it is.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errorMessage } from '../core/contracts/errors';

/** Megabytes, for limits and messages. */
export const MB = 1024 * 1024;
/**
 * The largest data file read whole as text (imports, eval sets): just under V8's longest string (2^29 − 24 characters),
 * so a file this large is refused with its size named instead of failing with "Invalid string length" after the read.
 */
export const MAX_TEXT_FILE_BYTES = 500 * MB;

/** A file the user named that cannot be read as one: not there, not a regular file, too large, unreadable. */
export class InputFileError extends Error {
  readonly kind = 'config' as const;

  constructor(
    message: string,
    /** The system error code when opening failed (`ENOENT`, `EACCES`), so a caller may treat a missing file as none. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

export interface UserFileOptions {
  /** How the user gave the file, for messages: `--config smcs.json`, `--file notes.txt`, `import file data.jsonl`. */
  label: string;
  /** The largest file read, in bytes. */
  maxBytes: number;
}

/**
 * Opening never waits: O_NONBLOCK makes the open of a pipe with no writer return at once (it is refused on its
 * kind next), and O_NOCTTY keeps a terminal device from becoming ours. Both are 0 where the platform lacks them.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** What a path that is not a regular file is: "a folder", "a named pipe", "a device", "a socket". */
export function describeNonRegular(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

const sizeText = (bytes: number): string => (bytes >= MB ? `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function openFailure(err: unknown, options: UserFileOptions): InputFileError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(err);
  return new InputFileError(`${options.label}: ${why}`, code);
}

/** Refuses what is not a regular file within the limit. */
function check(info: Stats, options: UserFileOptions): void {
  if (!info.isFile()) throw new InputFileError(`${options.label} is ${describeNonRegular(info)}, not a regular file; only regular files are read`);
  if (info.size > options.maxBytes) {
    throw new InputFileError(`${options.label} is ${sizeText(info.size)}, more than the ${sizeText(options.maxBytes)} read from such a file`);
  }
}

const tooLarge = (options: UserFileOptions): InputFileError =>
  new InputFileError(`${options.label} grew past ${sizeText(options.maxBytes)} while it was read, more than is read from such a file`);

/** The bytes of a regular file of at most `maxBytes` (InputFileError otherwise, naming `label`). */
export async function readUserFile(file: string, options: UserFileOptions): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    throw openFailure(err, options);
  }
  try {
    const info = await handle.stat();
    check(info, options);
    // One byte more than the limit tells a file that grew meanwhile.
    const buffer = Buffer.alloc(Math.min(info.size, options.maxBytes) + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) throw tooLarge(options);
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } catch (err) {
    throw err instanceof InputFileError ? err : new InputFileError(`${options.label} cannot be read: ${errorMessage(err)}`, (err as NodeJS.ErrnoException).code);
  } finally {
    await handle.close();
  }
}

/** `readUserFile` for the callers that must stay synchronous (the CLI's config, read before anything starts). */
export function readUserFileSync(file: string, options: UserFileOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw openFailure(err, options);
  }
  try {
    const info = fstatSync(fd);
    check(info, options);
    const buffer = Buffer.alloc(Math.min(info.size, options.maxBytes) + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) throw tooLarge(options);
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } catch (err) {
    throw err instanceof InputFileError ? err : new InputFileError(`${options.label} cannot be read: ${errorMessage(err)}`, (err as NodeJS.ErrnoException).code);
  } finally {
    closeSync(fd);
  }
}

/** The text of a UTF-8 file without a leading byte order mark (editors on Windows write one). */
export function utf8Text(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The first `bytes` of a regular file, for telling its format (InputFileError as `readUserFile`; no size limit). */
export async function readUserFileHead(file: string, label: string, bytes = 65536): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    throw openFailure(err, { label, maxBytes: 0 });
  }
  try {
    check(await handle.stat(), { label, maxBytes: Number.POSITIVE_INFINITY });
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
