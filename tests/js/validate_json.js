#!/usr/bin/env node
// Validates JSON (or JSON5: // comments, trailing commas) files against a
// JSON Schema 2020-12 with ajv in strict mode, the way a user's editor or CI
// would (strictRequired is off: `oneOf: [{required: [...]}]` is the idiom
// for "exactly one of these keys"). Usage: validate_json.js [--ref SCHEMA]... SCHEMA FILE... [--expect-invalid FILE...]
// --ref adds a schema that SCHEMA refers to by its $id.
// Every file before --expect-invalid must validate; every file after it must
// be refused (so the check itself can fail). Exit 0 only when both hold.
'use strict';
const fs = require('fs');
const JSON5 = require('json5');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const args = process.argv.slice(2);
const refs = [];
while (args[0] === '--ref') { args.shift(); refs.push(args.shift()); }
const [schemaPath, ...rest] = args;
if (!schemaPath || rest.length === 0) {
  console.error('usage: validate_json.js SCHEMA FILE... [--expect-invalid FILE...]');
  process.exit(2);
}
const split = rest.indexOf('--expect-invalid');
const valid = split < 0 ? rest : rest.slice(0, split);
const invalid = split < 0 ? [] : rest.slice(split + 1);

const ajv = new Ajv2020({strict: true, strictRequired: false, allErrors: true});
addFormats(ajv);
for (const r of refs) ajv.addSchema(JSON5.parse(fs.readFileSync(r, 'utf8')));
const validate = ajv.compile(JSON5.parse(fs.readFileSync(schemaPath, 'utf8')));

let failures = 0;
let passes = 0;
function check(file, expectValid) {
  const ok = validate(JSON5.parse(fs.readFileSync(file, 'utf8')));
  if (ok === expectValid) {
    ++passes;
    console.log(`ok: ${file} ${expectValid ? 'is valid' : 'is refused'}`);
    return;
  }
  ++failures;
  if (expectValid)
    for (const e of validate.errors) console.log(`FAIL: ${file}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  else
    console.log(`FAIL: ${file} validates but must be refused`);
}
valid.forEach((f) => check(f, true));
invalid.forEach((f) => check(f, false));
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
