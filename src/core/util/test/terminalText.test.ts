import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanMessage } from '../redact';
import { stripTerminalControls } from '../terminalText';

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
