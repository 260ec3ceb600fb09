// Validate flow files against guide's JSON Schema the way editors do.
//
// yaml-language-server (VS Code's YAML extension, Neovim's yamlls, …) reads a flow with the
// `yaml` package as YAML 1.2, turns it into JSON values, and validates them against the schema,
// compiling every `pattern` with `new RegExp(pattern, 'u')`; versions up to 1.19 first check the
// schema itself against the draft-07 meta-schema. This script does the same with ajv, so the
// Python tests see what an editor shows.
//
//   node tests/js/validate.mjs SCHEMA FLOW.yaml…        validate files
//   node tests/js/validate.mjs SCHEMA < documents.json  validate [{"name": …, "text": …}, …]
//
// Prints one JSON object: {versions, compiled (null, or why ajv cannot compile the schema), patterns
// (each with why `new RegExp(p, 'u')` refuses it, or null), metaschema (the draft-07 check),
// documents: [{name, valid, yaml (reading problems), errors (ajv's)}]}.
// Exit 0 when it could run (whatever the verdicts), 2 when it could not (bad arguments).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);

// The keywords whose value is one subschema, a list of them, or a map of them: the places
// where a `pattern` keyword can be (a property *named* "pattern" is not one).
const ONE = ["additionalProperties", "items", "contains", "propertyNames", "not", "if", "then", "else",
  "unevaluatedItems", "unevaluatedProperties"];
const MANY = ["anyOf", "allOf", "oneOf", "prefixItems"];
const MAP = ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas"];

function* patterns(schema, where = "#") {
  if (!schema || typeof schema !== "object") return;
  if (typeof schema.pattern === "string") yield { where: `${where}/pattern`, pattern: schema.pattern };
  for (const key of Object.keys(schema.patternProperties || {})) {
    yield { where: `${where}/patternProperties`, pattern: key };
  }
  for (const key of ONE) yield* patterns(schema[key], `${where}/${key}`);
  for (const key of MANY) {
    for (const [i, sub] of (schema[key] || []).entries()) yield* patterns(sub, `${where}/${key}/${i}`);
  }
  for (const key of MAP) {
    for (const [name, sub] of Object.entries(schema[key] || {})) yield* patterns(sub, `${where}/${key}/${name}`);
  }
}

function compiles(pattern) {
  try {
    new RegExp(pattern, "u");
    return null;
  } catch (error) {
    return error.message;
  }
}

// As yaml-language-server's parser: YAML 1.2 (its default `yaml.yamlVersion`), not strict.
function readYaml(text) {
  const docs = parseAllDocuments(text, { version: "1.2", strict: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];  // an empty text gives an empty list
  const problems = list.flatMap((doc) => doc.errors.map((e) => `${e.code}: ${e.message.split("\n")[0]}`));
  if (problems.length) return { problems };
  if (list.length !== 1) return { problems: [`${list.length} YAML documents: a flow is one`] };
  return { value: list[0].toJS({ maxAliasCount: -1 }) };
}

function main(argv) {
  const [schemaPath, ...files] = argv;
  if (!schemaPath) {
    process.stderr.write("usage: node validate.mjs SCHEMA [FLOW.yaml…] (or documents as JSON on stdin)\n");
    return 2;
  }
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  const documents = files.length
    ? files.map((name) => ({ name, text: readFileSync(name, "utf8") }))
    : JSON.parse(readFileSync(0, "utf8"));

  // The schema as a draft-07 tool sees it (yaml-language-server ≤ 1.19 checks it like this and
  // shows "Schema … is not valid" on every file if it fails).
  // Whatever dialect the schema declares, it is checked against draft-07's meta-schema.
  const draft07 = new Ajv({ strict: false, validateFormats: false }).getSchema("http://json-schema.org/draft-07/schema");
  const metaschema = draft07(schema)
    ? { valid: true, errors: [] }
    : { valid: false, errors: draft07.errors.map((e) => `${e.instancePath} ${e.message}`) };

  // The brief's settings; Ajv2020 because the schema declares the 2020-12 dialect, which the
  // default (draft-07) Ajv class refuses with "no schema with key or ref".
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: true, allErrors: true });
  let validate = null;
  let compiled = null;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    compiled = error.message;  // an editor shows it on every file
  }
  const results = documents.map(({ name, text }) => {
    const { value, problems } = readYaml(text);
    if (problems) return { name, valid: false, yaml: problems, errors: [] };
    if (!validate) return { name, valid: false, yaml: [], errors: [{ path: "", keyword: "$schema", message: compiled }] };
    const valid = validate(value);
    const errors = valid ? [] : validate.errors.map((e) => ({
      path: e.instancePath, keyword: e.keyword, message: e.message, params: e.params,
    }));
    return { name, valid, yaml: [], errors };
  });

  const found = [...patterns(schema)].map((p) => ({ ...p, error: compiles(p.pattern) }));
  const versions = { ajv: require("ajv/package.json").version, yaml: require("yaml/package.json").version };
  process.stdout.write(JSON.stringify({ versions, compiled, patterns: found, metaschema, documents: results }) + "\n");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
