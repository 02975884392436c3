import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsidePath, isMachineWritten, fileKind } from '../fileKinds';

test('code by extension, whatever the name: a module named like a community file is code', () => {
  for (const p of ['rich/progress_bar.py', 'src/index.ts', 'command.go', 'src/lib.rs', 'history.py', 'src/security.go', 'docs/conf.py', 'completions.fish']) assert.equal(fileKind(p), 'code', p);
});

test('prose: documentation, issue and pull-request templates (Markdown or YAML), community files, changelogs, licences', () => {
  for (const p of [
    'README.md', 'docs/source/progress.rst', 'CONTRIBUTING.md', 'CODE_OF_CONDUCT.md', 'CHANGELOG.md', 'LICENSE', 'LICENCE.txt', 'HISTORY.rst', 'NOTICE',
    '.github/ISSUE_TEMPLATE/bug_report.md', '.github/ISSUE_TEMPLATE/config.yml', '.github/pull_request_template.md', '.github/PULL_REQUEST_TEMPLATE.md',
    'packages/docs/content/api.mdx', 'FAQ.md',
  ]) assert.equal(fileKind(p), 'prose', p);
});

test('CI files, and configuration or data as other', () => {
  for (const p of ['.github/workflows/test.yml', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.pre-commit-config.yaml', '.circleci/config.yml']) assert.equal(fileKind(p), 'ci', p);
  for (const p of ['package.json', 'pyproject.toml', 'tsconfig.json', 'Makefile', 'go.mod', 'rich/_emoji_codes.json']) assert.equal(fileKind(p), 'other', p);
});

test('a minified or vendored bundle is machine-written whatever its name; code with one long line is not', () => {
  const bundle = `/*! jQuery v3.5.1 */\n${'!function(e,t){"use strict";var n=[],r=Object.getPrototypeOf;'.repeat(200)}\n`;
  assert.equal(isMachineWritten(bundle), true);
  const code = `def f():\n    return 1\n${'    # a person wrote this\n'.repeat(100)}URL = "${'x'.repeat(1200)}"\n`;
  assert.equal(isMachineWritten(code), false);
  assert.equal(isMachineWritten(''), false);
});

test("code beside the product: examples, scripts, and a library's release copied in, by the version in its name", () => {
  for (const path of ['examples/app.py', 'docs/conf.py', 'sphinx/themes/basic/static/jquery-3.5.1.js', 'static/underscore-1.13.1.min.js', 'vendor/lib/d3.v7.0.0.js']) assert.ok(isAsidePath(path), path);
  for (const path of ['sphinx/themes/basic/static/doctools.js', 'src/v3/router.ts', 'lib/semver.js', 'rich/cells.py']) assert.ok(!isAsidePath(path), path);
});
