// Code size of one folder of src/: files, lines, the largest file and the longest functions.
//   node --import tsx bench/code-size.ts src/emulator [--limit-lines=400] [--limit-function=100]
// Functions are every function declaration, method, accessor, constructor, function expression and
// arrow function, measured from their first to their last line (nested ones count on their own).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const dir = args.find((arg) => !arg.startsWith('--')) ?? 'src';
const limit = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const maxFileLines = limit('limit-lines', 400);
const maxFunctionLines = limit('limit-function', 100);

function files(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(path, entry.name)) : entry.name.endsWith('.ts') ? [join(path, entry.name)] : [],
  );
}

interface FunctionSize {
  where: string;
  lines: number;
}

function functionSizes(file: string, text: string): FunctionSize[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      out.push({ where: `${file}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const all = files(dir).map((file) => {
  const text = readFileSync(file, 'utf8');
  return { file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), functions: functionSizes(file, text) };
});
const totalLines = all.reduce((sum, f) => sum + f.lines, 0);
const largest = [...all].sort((a, b) => b.lines - a.lines)[0];
const functions = all.flatMap((f) => f.functions).sort((a, b) => b.lines - a.lines);
console.log(`${dir}: ${all.length} files, ${totalLines} lines`);
if (largest) console.log(`largest file: ${largest.file} (${largest.lines} lines)`);
console.log('longest functions:');
for (const f of functions.slice(0, 5)) console.log(`  ${f.lines} lines  ${f.where}`);
const bigFiles = all.filter((f) => f.lines > maxFileLines);
const bigFunctions = functions.filter((f) => f.lines > maxFunctionLines);
console.log(`files over ${maxFileLines} lines: ${bigFiles.length}${bigFiles.map((f) => `\n  ${f.file} (${f.lines})`).join('')}`);
console.log(`functions over ${maxFunctionLines} lines: ${bigFunctions.length}${bigFunctions.map((f) => `\n  ${f.where} (${f.lines})`).join('')}`);
