import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SIGNATURE_LINES, signatureLines } from '../signature';

test('a signature runs from the line that names the definition to the one that opens its body', () => {
  assert.deepEqual(signatureLines(['    @property', '    def get_default(self, ctx, call=True):', '        """Doc."""'], 'get_default'), { first: 1, last: 1 });
  assert.deepEqual(signatureLines(['def wrap_text(', '    text: str,', '    width: int = 78,', ') -> str:', '    return text'], 'wrap_text'), { first: 0, last: 3 });
  assert.deepEqual(signatureLines(['// Execute runs the command.', 'func (c *Command) Execute() error {', '\treturn nil'], 'Execute'), { first: 1, last: 1 });
  assert.deepEqual(signatureLines(['  async fetch(url: string,', '    options: Options): Promise<Response> {'], 'fetch'), { first: 0, last: 1 });
  assert.deepEqual(signatureLines(['def each_pair', '  yield 1'], 'each_pair'), { first: 0, last: 0 }, 'nothing opens a body within reach: the naming line alone');
  assert.equal(signatureLines(['x = 1', 'y = 2'], 'get_default'), undefined);
  assert.equal(signatureLines(['def get_defaults(self):'], 'get_default'), undefined, 'a whole word, not a part of a longer name');
  assert.ok(MAX_SIGNATURE_LINES >= 4);
});
