#!/usr/bin/env node
// The JSON Schema (draft 2020-12) of servebench's results files, generated from the TypeScript types of
// src/results (the contract), so other tools can read and validate the files: one envelope per kind, every
// named type of the contract in $defs with its doc comment as description.
// Usage: node scripts/results-schema.mjs           write schema/results.schema.json
//        node scripts/results-schema.mjs --check   exit 1 when the committed schema is not the generated one

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'schema', 'results.schema.json');

// Each kind of results file and the data its envelope carries (src/run's suites write them).
const KINDS = { bench: 'BenchData', kernels: 'KernelsData', load: 'LoadData', profile: 'ProfileData', hardware: 'HardwareData', capacity: 'CapacityData' };

/** A program over src/results with one more, in-memory, file declaring the union of every envelope. */
function program() {
  const rootFile = join(root, 'scripts', '__results-schema-root.ts');
  const imports = ['ResultEnvelope', ...Object.values(KINDS)].join(', ');
  const union = Object.entries(KINDS)
    .map(([kind, data]) => `ResultEnvelope<'${kind}', ${data}>`)
    .join(' | ');
  const text = `import type { ${imports} } from '../src/results/index.js';\nexport type ServebenchResults = ${union};\n`;
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const options = { ...config.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === rootFile ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === rootFile || fileExists(name);
  const p = ts.createProgram([rootFile], options, host);
  const alias = p.getSourceFile(rootFile).statements.find(ts.isTypeAliasDeclaration);
  return { checker: p.getTypeChecker(), type: p.getTypeChecker().getTypeAtLocation(alias.name) };
}

function describe(checker, symbol) {
  const text = symbol === undefined ? '' : ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  return text === '' ? {} : { description: text.replace(/\s*\n\s*/g, ' ') };
}

/** The name a type gets in $defs: interfaces and aliases of the contract without type arguments. */
function nameOf(type) {
  const symbol = type.aliasSymbol ?? type.symbol;
  if (symbol === undefined || (type.aliasSymbol !== undefined && type.aliasTypeArguments?.length)) return undefined;
  if (type.aliasSymbol === undefined && (symbol.flags & ts.SymbolFlags.Interface) === 0) return undefined;
  if (type.aliasSymbol === undefined && type.typeArguments?.length) return undefined;
  const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '';
  return /\/src\/(results\/[^/]+|errors)\.ts$/.test(file) ? symbol.getName() : undefined;
}

function converter(checker) {
  const defs = {};
  const named = new Map();

  function objectSchema(type) {
    const properties = {};
    const required = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
      properties[prop.getName()] = { ...convert(propType), ...describe(checker, prop) };
      if ((prop.flags & ts.SymbolFlags.Optional) === 0) required.push(prop.getName());
    }
    const out = { type: 'object', properties };
    if (required.length > 0) out.required = required;
    const index = checker.getIndexInfosOfType(type)[0];
    if (index !== undefined) out.additionalProperties = convert(index.type);
    return out;
  }

  function unionSchema(type) {
    let members = type.types.filter((t) => (t.flags & ts.TypeFlags.Undefined) === 0);
    const bools = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    const out = [];
    if (bools.length === 2) {
      out.push({ type: 'boolean' });
      members = members.filter((t) => !bools.includes(t));
    }
    const strings = members.filter((t) => t.flags & ts.TypeFlags.StringLiteral);
    if (strings.length > 1) {
      out.push({ enum: strings.map((t) => t.value) });
      members = members.filter((t) => !strings.includes(t));
    }
    out.push(...members.map(convert));
    return out.length === 1 ? out[0] : { anyOf: out };
  }

  function structural(type) {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.StringLiteral) return { const: type.value };
    if (f & ts.TypeFlags.NumberLiteral) return { const: type.value };
    if (f & ts.TypeFlags.BooleanLiteral) return { const: type.intrinsicName === 'true' };
    if (f & ts.TypeFlags.String) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isUnion()) return unionSchema(type);
    if (checker.isTupleType(type)) {
      const items = checker.getTypeArguments(type).map(convert);
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    if (checker.isArrayType(type)) return { type: 'array', items: convert(checker.getTypeArguments(type)[0]) };
    if (f & ts.TypeFlags.Object || type.isIntersection()) return objectSchema(type);
    throw new Error(`results-schema: no JSON Schema for the type ${checker.typeToString(type)}`);
  }

  function convert(type) {
    const name = nameOf(type);
    if (name === undefined) return structural(type);
    if (!named.has(type)) {
      // Two types of one name (in different files) are told apart by a number.
      const taken = new Set(named.values());
      let key = name;
      for (let i = 2; taken.has(key); i++) key = `${name}${i}`;
      named.set(type, key);
      defs[key] = {};
      defs[key] = { ...describe(checker, type.aliasSymbol ?? type.symbol), ...structural(type) };
    }
    return { $ref: `#/$defs/${named.get(type)}` };
  }

  return { convert, defs };
}

/** The schema as an object (deterministic: the same types always give the same text). */
export function buildResultsSchema() {
  const { checker, type } = program();
  const { convert, defs } = converter(checker);
  const envelopes = type.types.map(convert);
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/servebench/servebench/schema/results.schema.json',
    title: 'servebench results file',
    description:
      'A servebench results file (results.json of a run, kernels.json, load.json, profile.json, capacity.json, hardware.json): ' +
      'the envelope { schema, version, kind, createdAt, servebench, env, data } with the data of its kind. ' +
      'Generated from the TypeScript types of src/results by scripts/results-schema.mjs.',
    anyOf: envelopes,
    $defs: sorted,
  };
}

export function schemaText() {
  return `${JSON.stringify(buildResultsSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = schemaText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== text) {
      process.stderr.write(`${target} is not the schema the types give; run node scripts/results-schema.mjs\n`);
      process.exit(1);
    }
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    process.stderr.write(`wrote ${target}\n`);
  }
}
