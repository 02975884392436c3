import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanMessage } from '../redact';
import { stripTerminalControls, TerminalTextStream } from '../terminalText';

test('escape sequences that would drive a terminal are removed; the words, tabs and line breaks stay', () => {
  const cases: Array<[string, string]> = [
    ['\u001b[31mred\u001b[0m and \u001b[1;4mbold\u001b[m', 'red and bold'],
    ['\u001b]52;c;cm0gLXJmIH4=\u0007copied?', 'copied?'],
    ['\u001b]0;title\u001b\\after', 'after'],
    ['\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['\u009b2Jcleared', 'cleared'],
    ['\u001bPdcs payload\u001b\\x', 'x'],
    ['\u001b7saved\u001b8', 'saved'],
    ['bell\u0007 null\u0000 back\u0008 del\u007f c1\u0085', 'bell null back del c1'],
    ['line one\r\nline two\n\tindented', 'line one\r\nline two\n\tindented'],
    ['real text\rfake', 'real textfake'],
    ['an unterminated \u001b]0;title', 'an unterminated '],
    ['plain text, ümlaut and 漢字', 'plain text, ümlaut and 漢字'],
  ];
  for (const [input, expected] of cases) assert.equal(stripTerminalControls(input), expected, JSON.stringify(input));
});

test('a message is cleaned of both credentials and control sequences', () => {
  assert.equal(cleanMessage('\u001b[31mAuthorization: Bearer sk-live-abcdef123456\u001b[0m'), 'Authorization: Bearer [redacted]');
});

test('text stripped as it streams, cut anywhere, comes out as the whole text stripped at once', () => {
  const texts = [
    'Use \u001b[31mreversed\u001b[0m(xs).\r\nDone.\u009b2J',
    '\u001b]52;c;cm0gLXJmIH4=\u0007copied \u001b]0;title\u001b\\after \u001bPdcs\u001b[3m\u001b\\x \u001b7saved\u001b8',
    'back\rfake \r\u001b[1m\nkept \u001b[\u001b[31mred an unterminated \u001b]0;title and more',
    'lone\u001b',
  ];
  for (const text of texts) {
    const whole = stripTerminalControls(text);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        const stream = new TerminalTextStream();
        const out = stream.push(text.slice(0, i)) + stream.push(text.slice(i, j)) + stream.push(text.slice(j)) + stream.end();
        assert.equal(out, whole, `${JSON.stringify(text)} cut at ${i} and ${j}`);
      }
    }
    const byCharacter = new TerminalTextStream();
    assert.equal([...text].map((c) => byCharacter.push(c)).join('') + byCharacter.end(), whole);
  }
  const words = new TerminalTextStream();
  assert.equal(words.push('Plain words '), 'Plain words ', 'text without escapes goes out at once');
  assert.equal(words.push('\u001b]0;ti'), '', 'an unfinished title waits');
  assert.equal(words.push('tle\u0007 go on'), ' go on');
});
