import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeGraderDisabledError, gradeCode, gradeReply } from '../codeGrader';
import { extractPythonCode } from '../../core/checks/replyCode';

const TESTS = 'assert add(2, 3) == 5\nassert add(-1, 1) == 0\n';
const ON = { enabled: true, timeoutMs: 5000 };

test('extracts the last python block, or the whole reply without fences', () => {
  const reply = 'First try:\n```python\ndef add(a, b):\n    return a - b\n```\nFixed:\n```py\ndef add(a, b):\n    return a + b\n```\nDone.';
  assert.equal(extractPythonCode(reply), 'def add(a, b):\n    return a + b\n');
  assert.equal(extractPythonCode('def add(a, b): return a + b'), 'def add(a, b): return a + b');
  assert.equal(extractPythonCode('```bash\nls\n```'), null);
});

test('correct code passes the tests', async () => {
  const r = await gradeCode('Here you go:\n```python\ndef add(a, b):\n    return a + b\n```', TESTS, ON);
  assert.equal(r.correct, true, r.stderr);
  assert.equal(r.status, 'passed');
  assert.equal(r.unparseable, false);
});

test('a failing assert is wrong and its traceback is kept', async () => {
  const r = await gradeCode('```python\ndef add(a, b):\n    return a * b\n```', TESTS, ON);
  assert.equal(r.correct, false);
  assert.equal(r.status, 'failed');
  assert.match(r.stderr, /AssertionError/);
});

test('an infinite loop is killed at the timeout and graded wrong', async () => {
  const started = Date.now();
  const r = await gradeCode('```python\ndef add(a, b):\n    while True:\n        pass\n```', TESTS, { enabled: true, timeoutMs: 700 });
  assert.equal(r.timedOut, true);
  assert.equal(r.correct, false);
  assert.ok(Date.now() - started < 4000, 'killed near the timeout');
});

test('memory above the cap fails instead of exhausting the machine', async () => {
  const reply = '```python\nblob = bytearray(400 * 1024 * 1024)\ndef add(a, b):\n    return a + b\n```';
  const capped = await gradeCode(reply, TESTS, { ...ON, memoryMb: 200 });
  assert.equal(capped.correct, false);
  assert.match(capped.stderr, /MemoryError/);
});

function listen(): Promise<{ server: Server; port: number; connections: () => number }> {
  return new Promise((resolve) => {
    let count = 0;
    const server = createServer((s) => {
      count++;
      s.end();
    });
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0, connections: () => count });
    });
  });
}

test('no network: a connection to a loopback listener is never made', async () => {
  const { server, port, connections } = await listen();
  try {
    const reply = [
      '```python',
      'import socket',
      'def add(a, b):',
      `    socket.create_connection(("127.0.0.1", ${port}), timeout=2).close()`,
      '    return a + b',
      '```',
    ].join('\n');
    const r = await gradeCode(reply, TESTS, ON);
    assert.equal(r.correct, false);
    assert.equal(connections(), 0);
  } finally {
    server.close();
  }
});

test('a child process that bypasses the in-process guard has no network in a namespace (and does without one: documented limit)', async () => {
  const { server, port, connections } = await listen();
  try {
    const child = `import socket; socket.create_connection(("127.0.0.1", ${port}), timeout=2).close()`;
    const reply = ['```python', 'import subprocess, sys', `rc = subprocess.run([sys.executable, "-c", ${JSON.stringify(child)}]).returncode`, 'assert rc == 0, rc', 'def add(a, b):', '    return a + b', '```'].join('\n');
    const r = await gradeCode(reply, TESTS, ON);
    const namespaced = r.network === 'namespace';
    assert.equal(r.correct, !namespaced);
    assert.equal(connections(), namespaced ? 0 : 1);
    if (process.getuid?.() === 0) assert.equal(r.network, 'namespace', 'as root the code only ever runs isolated');
  } finally {
    server.close();
  }
});

test('the environment of this process (API keys) is not passed on', async () => {
  process.env.SMCS_TEST_SECRET_KEY = 'sk-should-not-leak';
  try {
    const reply = '```python\nimport os\nassert "SMCS_TEST_SECRET_KEY" not in os.environ\ndef add(a, b):\n    return a + b\n```';
    assert.equal((await gradeCode(reply, TESTS, ON)).correct, true);
  } finally {
    delete process.env.SMCS_TEST_SECRET_KEY;
  }
});

test('a reply without code is unparseable', async () => {
  const r = await gradeCode('```\n\n```', TESTS, ON);
  assert.equal(r.unparseable, true);
  assert.equal(r.correct, false);
});

test('disabled by default: a clear refusal, nothing runs', async () => {
  await assert.rejects(gradeCode('print(1)', TESTS, { enabled: false }), CodeGraderDisabledError);
  await assert.rejects(gradeReply('code', 'print(1)', TESTS), /disabled.*runs model-written Python/);
});

test('gradeReply routes pure graders without running anything', async () => {
  assert.equal((await gradeReply('choice', 'The answer is (B).', 'B')).correct, true);
  assert.equal((await gradeReply('code', '```python\ndef add(a, b):\n    return a + b\n```', TESTS, { code: ON })).correct, true);
});

test('the first use probes the interpreter without blocking the event loop (the extension host shares it)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'smcs-slow-python-'));
  try {
    // A launcher that takes 2 s to answer, as a cold pyenv shim or a network home folder can; blocking stalls timers for
    // all of it, while a loaded machine may delay a tick by a fraction of that.
    const slowPython = join(dir, 'python3');
    await writeFile(slowPython, '#!/bin/sh\nsleep 2\nexec python3 "$@"\n', { mode: 0o755 });
    let last = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, Date.now() - last);
      last = Date.now();
    }, 20);
    try {
      const r = await gradeCode('```python\ndef add(a, b):\n    return a + b\n```', TESTS, { ...ON, python: slowPython });
      assert.equal(r.correct, true, r.stderr);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(longestGap < 1500, `timers stood still for ${longestGap} ms while the interpreter was probed`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
