import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enclosingSignature, MAX_SIGNATURE_LINES, signatureLines } from '../signature';

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

test('the signature of what holds a member by indentation: a Rust impl with its where clause, a Python class; nothing for a member at the margin or under another name', () => {
  const rust = ['pub enum ErrorKind {', '    Message(String),', '}', '', 'impl<S, T> FromRequestParts<S> for ConnectInfo<T>', 'where', '    S: Send + Sync,', '{', '    type Rejection = Infallible;', ''];
  assert.deepEqual(enclosingSignature(rust, '    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {', 'ConnectInfo'), { first: 4, last: 7 });
  const python = ['class SecureCookieSessionInterface(SessionInterface):', '    salt = "cookie-session"', '', '    def get_signing_serializer(self, app):', '        return None', ''];
  assert.deepEqual(enclosingSignature(python, '    def open_session(self, app, request):', 'SecureCookieSessionInterface'), { first: 0, last: 0 });
  assert.equal(enclosingSignature(['type Context struct {', '}', ''], 'func (c *Context) Next() {', 'Context'), undefined, 'a Go method sits at the margin beside its type');
  assert.equal(enclosingSignature(['class Other:', '    pass', 'class Mine:', '    # one'], '    def run(self):', 'Panel'), undefined, 'the enclosing line names another');
  assert.equal(enclosingSignature(['    x = 1'], '    def run(self):', 'Panel'), undefined, 'nothing above is indented less');
});
