#!/usr/bin/env node
// The size rules of the house (README "Architecture"): no file under src/ over 400 lines, no function in
// src/ or benchmarks/ over 100 lines, no line over 160 characters. Prints each breach and exits 1 if any.
// Usage: node scripts/check-size.mjs [files...]   (default: every tracked .ts file under src/ and benchmarks/)

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export const LIMITS = { fileLines: 400, functionLines: 100, lineChars: 160 };

function trackedFiles() {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'benchmarks'], { encoding: 'utf8' });
  return out.split('\n').filter((f) => f.endsWith('.ts'));
}

function functionName(node) {
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText();
  return '<anonymous>';
}

/** Breaches of the size rules in one file's text. */
export function checkText(file, text, limits = LIMITS) {
  const breaches = [];
  const lines = text.split('\n');
  if (file.startsWith('src/') && lines.length > limits.fileLines) breaches.push(`${file}: ${lines.length} lines (at most ${limits.fileLines})`);
  lines.forEach((line, i) => {
    if (line.length > limits.lineChars) breaches.push(`${file}:${i + 1}: a line of ${line.length} characters (at most ${limits.lineChars})`);
  });
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = last - first + 1;
      if (length > limits.functionLines)
        breaches.push(`${file}:${first + 1}: function ${functionName(node)} is ${length} lines (at most ${limits.functionLines})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return breaches;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : trackedFiles();
  const breaches = files.flatMap((f) => checkText(f, readFileSync(f, 'utf8')));
  for (const b of breaches) process.stderr.write(`${b}\n`);
  if (breaches.length > 0) {
    process.stderr.write(`check-size: ${breaches.length} breach(es) of the size rules\n`);
    process.exit(1);
  }
  process.stdout.write(
    `check-size: ${files.length} files within ${LIMITS.fileLines} lines, functions within ${LIMITS.functionLines}, lines within ${LIMITS.lineChars} characters\n`,
  );
}
