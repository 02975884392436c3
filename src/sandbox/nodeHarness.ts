/**
 * The node programs that run one JavaScript reply's checks inside the sandbox: a supervisor (one per reply, reading
 * `job.json` from its work folder and printing one JSON line per check, as the Python harness does) that starts one
 * node process per check, and the per-check runner for calls and assert lines. Standard-input programs run as they are.
 */

/** Runs a call or assert check: `node runner.js <check index>`; writes what it found to `res-<index>`. */
const RUNNER = String.raw`'use strict';
const fs = require('fs');
const job = JSON.parse(fs.readFileSync('job.json', 'utf8'));
const index = Number(process.argv[2]);
const check = job.checks[index];
const resultFile = 'res-' + index;
const write = (record) => fs.writeFileSync(resultFile, JSON.stringify(record));
function ListNode(val, next) { this.val = val === undefined ? 0 : val; this.next = next === undefined ? null : next; }
function TreeNode(val, left, right) { this.val = val === undefined ? 0 : val; this.left = left === undefined ? null : left; this.right = right === undefined ? null : right; }
globalThis.ListNode = ListNode;
globalThis.TreeNode = TreeNode;
const code = fs.readFileSync('solution.js', 'utf8');
const isAssertion = (e) => e !== null && typeof e === 'object' && (e.code === 'ERR_ASSERTION' || e.name === 'AssertionError');

function plain(value, depth) {
  if (depth > 10000) throw new Error('the returned value is nested too deeply');
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? '0' : String(value)) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return '[' + Array.from(value, (v) => plain(v, depth + 1)).join(',') + ']';
  if (typeof value === 'object' && 'val' in value && 'next' in value) {
    const items = [];
    for (let node = value; node && items.length < 100000; node = node.next) items.push(plain(node.val, depth + 1));
    return '[' + items.join(',') + ']';
  }
  if (typeof value === 'object' && 'val' in value && 'left' in value && 'right' in value) {
    const out = [];
    const queue = [value];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i];
      if (!node) { out.push('null'); continue; }
      out.push(plain(node.val, depth + 1));
      queue.push(node.left, node.right);
    }
    while (out.length > 0 && out[out.length - 1] === 'null') out.pop();
    return '[' + out.join(',') + ']';
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ':' + plain(v, depth + 1)).join(',') + '}';
  }
  throw new TypeError('returned a ' + (value.constructor ? value.constructor.name : typeof value) + ', which a judge cannot compare with a literal');
}

function buildList(values) {
  let head = null;
  for (let i = values.length - 1; i >= 0; i--) head = new ListNode(values[i], head);
  return head;
}

function buildTree(values) {
  if (values.length === 0 || values[0] === null) return null;
  const nodes = values.map((v) => (v === null ? null : new TreeNode(v)));
  let next = 1;
  for (const node of nodes) {
    if (!node) continue;
    node.left = next < nodes.length ? nodes[next++] : null;
    node.right = next < nodes.length ? nodes[next++] : null;
  }
  return nodes[0];
}

const normal = (name) => name.replace(/_/g, '').toLowerCase();

function findCallable(lookup, name, method) {
  const Solution = lookup('Solution');
  const viaClass = () => {
    if (typeof Solution !== 'function') return undefined;
    const instance = new Solution();
    const names = [];
    for (let p = Object.getPrototypeOf(instance); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) names.push(...Object.getOwnPropertyNames(p));
    names.push(...Object.keys(instance));
    const found = names.sort((a, b) => (a === name ? -1 : b === name ? 1 : 0)).find((n) => n !== 'constructor' && normal(n) === normal(name) && typeof instance[n] === 'function');
    return found === undefined ? undefined : instance[found].bind(instance);
  };
  const viaFunction = () => {
    const exported = module.exports && typeof module.exports === 'object' ? module.exports : {};
    const snake = name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    const camel = name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    for (const n of [name, snake, camel]) {
      const found = typeof exported[n] === 'function' ? exported[n] : lookup(n);
      if (typeof found === 'function' && !/^class\b/.test(Function.prototype.toString.call(found))) return found;
    }
    return typeof module.exports === 'function' ? module.exports : undefined;
  };
  const found = method ? viaClass() ?? viaFunction() : viaFunction() ?? viaClass();
  if (found === undefined) {
    write({ unsupported: 'the code defines no ' + (method ? 'method ' : 'function ') + name });
    process.exit(0);
  }
  return found;
}

async function main() {
  if (check.kind === 'assert') {
    const assert = require('assert');
    globalThis.assert = assert;
    console.assert = (ok, ...message) => {
      if (!ok) throw new assert.AssertionError({ message: message.join(' ') || 'console.assert failed' });
    };
    try {
      await new Function('require', 'module', 'exports', code + '\n;\n' + check.code)(require, module, module.exports);
    } catch (e) {
      if (isAssertion(e)) write({ assertion: String(e.message) });
      throw e;
    }
    return;
  }
  const lookup = new Function('require', 'module', 'exports', code + '\n;return (n) => { try { return eval(n); } catch { return undefined; } };')(require, module, module.exports);
  const fn = findCallable(lookup, check.name, check.method);
  const args = check.args.map((a) => JSON.parse(a));
  const kinds = check.argTypes;
  if (kinds === null) {
    write({ unsupported: 'cannot tell which arguments are ListNode/TreeNode: the reply names no parameter types for ' + check.name });
    process.exit(0);
  }
  kinds.forEach((kind, i) => {
    if (kind === 'ListNode' && Array.isArray(args[i])) args[i] = buildList(args[i]);
    if (kind === 'TreeNode' && Array.isArray(args[i])) args[i] = buildTree(args[i]);
  });
  const value = await fn(...args);
  const nothing = value === undefined || value === null;
  const record = { value: nothing && check.returnsNode ? '[]' : plain(value, 0) };
  if (nothing && !check.returnsNode && args.length > 0) record.firstArgument = plain(args[0], 0);
  write(record);
}

main().catch((e) => {
  process.exitCode = 1;
  throw e;
});
`;

/** Preloaded (`-r`) when no network namespace exists: stops plain JavaScript from opening connections (not a determined program). */
const GUARD = String.raw`'use strict';
const blocked = () => { throw new Error('network access is disabled by the SMCS sandbox'); };
const patch = (mod, keys) => { for (const key of keys) { try { if (typeof mod[key] === 'function') mod[key] = blocked; } catch {} } };
patch(require('net').Socket.prototype, ['connect']);
patch(require('net'), ['connect', 'createConnection']);
patch(require('tls'), ['connect']);
patch(require('http'), ['request', 'get']);
patch(require('https'), ['request', 'get']);
patch(require('http2'), ['connect']);
patch(require('dgram'), ['createSocket']);
const dns = require('dns');
patch(dns, Object.keys(dns).filter((k) => /^(lookup|resolve|reverse)/.test(k)));
patch(dns.promises, Object.keys(dns.promises).filter((k) => /^(lookup|resolve|reverse)/.test(k)));
globalThis.fetch = blocked;
`;

/** The supervisor: `node -e <this>` in the work folder holding job.json. */
export const NODE_HARNESS = String.raw`'use strict';
const fs = require('fs');
const { spawn } = require('child_process');
const job = JSON.parse(fs.readFileSync('job.json', 'utf8'));
const pid1 = process.pid === 1;
const report = (record) => fs.writeSync(1, JSON.stringify(record) + '\n');
fs.writeFileSync('solution.js', job.code);
fs.writeFileSync('runner.js', ${JSON.stringify(RUNNER)});
if (!job.networkIsolated) fs.writeFileSync('guard.js', ${JSON.stringify(GUARD)});

function read(file, limit, tail) {
  try {
    const data = fs.readFileSync(file);
    const part = tail ? data.subarray(Math.max(0, data.length - limit)) : data.subarray(0, limit);
    return [part.toString('utf8'), data.length > limit];
  } catch {
    return ['', false];
  }
}

function cleanUp(child) {
  try {
    if (pid1) process.kill(-1, 'SIGKILL');
    else if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

function runOne(index, check) {
  fs.writeFileSync('in-' + index, check.input || '');
  const stdio = [fs.openSync('in-' + index, 'r'), fs.openSync('out-' + index, 'w'), fs.openSync('err-' + index, 'w')];
  const args = [...job.nodeArgs, ...(job.networkIsolated ? [] : ['-r', './guard.js']), check.kind === 'stdio' ? 'solution.js' : 'runner.js', String(index)];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio, detached: !pid1, env: process.env });
    stdio.forEach((fd) => fs.closeSync(fd));
    if (!pid1 && child.pid !== undefined) report({ started: child.pid });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { child.kill('SIGKILL'); } catch {}
    }, job.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ check: index, setupError: 'could not start the check: ' + e.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      cleanUp(child);
      const record = { check: index, ms: Date.now() - started, timedOut };
      if (code !== null) record.exitCode = code;
      if (signal !== null) record.signal = signal;
      [record.stdout, record.stdoutTruncated] = read('out-' + index, job.outputBytes, false);
      [record.stderr] = read('err-' + index, 4096, true);
      const [result] = read('res-' + index, job.outputBytes * 4, false);
      try { record.result = result ? JSON.parse(result) : null; } catch { record.result = null; }
      for (const f of ['in-', 'out-', 'err-', 'res-']) { try { fs.unlinkSync(f + index); } catch {} }
      resolve(record);
    });
  });
}

(async () => {
  for (let i = 0; i < job.checks.length; i++) report(await runOne(i, job.checks[i]));
})();
`;
