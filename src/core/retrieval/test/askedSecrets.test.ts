import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askedSecrets } from '../askedSecrets';

const HTPASSWD = { path: 'tests/roots/test-html_assets/extra/.htpasswd', kind: 'password file' };
const ENV = { path: '.env', kind: 'environment file' };

test("a secret file is named when the question's words are about it, not when a pasted issue's template shares a word of its path", () => {
  const issue = 'autodoc ignores an empty __all__\n**Describe the bug**\nEvery member is documented though `__all__` is empty.\n\n**Environment info**\n- OS: Mac\n- Extra tools: No\n';
  assert.deepEqual(askedSecrets(issue, [HTPASSWD, ENV]), []);
  assert.deepEqual(askedSecrets('Which extra assets does the HTML builder copy, and is the htpasswd among them?', [HTPASSWD, ENV]), [HTPASSWD]);
  assert.deepEqual(askedSecrets('Which environment variables does the app read?', [HTPASSWD, ENV]), [ENV]);
});
