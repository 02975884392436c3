import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectModules } from '../projectModules';
import { definedIn, importsIn } from '../questionCode';

test('the modules a snippet imports, in each language', () => {
  const code = [
    '>>> from sympy.core.basic import Basic',
    'import numpy as np, requests',
    "import express from 'express'",
    "const { z } = require('zod')",
    'use axum::{Router, routing::get};',
    'import io.javalin.Javalin;',
    'use Slim\\Factory\\AppFactory;',
    '#include "cJSON.h"',
    '    "github.com/gin-gonic/gin/binding"',
    "require 'sinatra/base'",
    'from . import sibling',
  ].join('\n');
  assert.deepEqual(importsIn(code), [
    ['sympy', 'core', 'basic'],
    ['numpy'],
    ['requests'],
    ['express'],
    ['zod'],
    ['axum'],
    ['io', 'javalin', 'Javalin'],
    ['Slim', 'Factory', 'AppFactory'],
    ['cJSON'],
    ['github.com', 'gin-gonic', 'gin', 'binding'],
    ['sinatra', 'base'],
  ]);
  assert.deepEqual([...definedIn('def f(x):\n    y = x\nclass C: pass\nconst z = 1\n>>> w = f(2)')].sort(), ['C', 'f', 'w', 'y', 'z']);
});

test("a module resolves to the project's own package, never to a nested folder of the same name", () => {
  const modules = projectModules(['src/flask/app.py', 'src/flask/json/provider.py', 'internal/json/json.go', 'internal/bytesconv/bytesconv.go', 'setup.py', 'javalin/src/main/java/io/javalin/Javalin.kt', 'cJSON.h'], ['github.com/gin-gonic/gin']);
  assert.equal(modules.resolve(['flask']), 'src/flask');
  assert.equal(modules.resolve(['flask', 'json', 'provider']), 'src/flask/json/provider');
  assert.equal(modules.resolve(['io', 'javalin', 'Javalin']), 'javalin/src/main/java/io/javalin/Javalin');
  assert.equal(modules.resolve(['cJSON']), 'cJSON');
  assert.equal(modules.resolve(['github.com', 'gin-gonic', 'gin', 'internal', 'json']), 'internal/json');
  assert.equal(modules.resolve(['github.com', 'gin-gonic', 'gin']), 'github.com/gin-gonic/gin');
  // `import json` is the standard library's, not internal/json; `encoding/json` is Go's.
  assert.equal(modules.resolve(['json']), undefined);
  assert.equal(modules.resolve(['encoding', 'json']), undefined);
  assert.equal(modules.resolve(['numpy']), undefined);
});
