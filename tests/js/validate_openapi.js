#!/usr/bin/env node
// Judges compactsim's OpenAPI document with swagger-parser (the OpenAPI 3
// schema and its semantic rules), then with what a reader of the document
// needs: every operation has a real summary (not its path), and every path
// parameter and documented query parameter is declared.
// Usage: validate_openapi.js FILE
'use strict';
const fs = require('fs');
const SwaggerParser = require('@apidevtools/swagger-parser');

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: validate_openapi.js FILE');
    process.exit(2);
  }
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  let failures = 0;
  let passes = 0;
  const fail = (what) => { ++failures; console.log(`FAIL: ${what}`); };
  try {
    await SwaggerParser.validate(structuredClone(doc));
    ++passes;
    console.log(`ok: ${file} is a valid OpenAPI ${doc.openapi} document`);
  } catch (e) {
    fail(`${file}: ${e.message}`);
  }
  let operations = 0;
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      ++operations;
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary || op.summary === path || op.summary.length < 8)
        fail(`${name}: no real summary (${JSON.stringify(op.summary)})`);
      const declared = new Set((op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name));
      for (const m of path.matchAll(/\{([^}]+)\}/g))
        if (!declared.has(m[1])) fail(`${name}: path parameter ${m[1]} is not declared`);
      for (const p of op.parameters || [])
        if (!p.description) fail(`${name}: parameter ${p.name} has no description`);
    }
  }
  if (operations < 40) fail(`only ${operations} operations documented`);
  else { ++passes; console.log(`ok: ${operations} operations, each with a summary and its parameters`); }
  console.log(`${passes} passed, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}
main();
