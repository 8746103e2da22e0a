// What users type for dictionaries: IPA split into phone symbols, the strict CSV reader with
// line:column errors, and CSV/JSON imports checked whole before anything is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvSyntaxError, parseCsv } from '../../src/cli/pronunciations/csv.js';
import { entriesFromCsv, entriesFromJson } from '../../src/cli/pronunciations/entries-file.js';
import { ValidationError } from '../../src/core/errors.js';
import { formatIpa, parseIpa } from '../../src/pronunciations/ipa.js';
import { resolveDictionaryName } from '../../src/pronunciations/protocol.js';

test('IPA written solid: a letter per symbol, modifiers and tied letters kept with it, stress on its own', () => {
  assert.deepEqual(parseIpa('/kæt/'), ['k', 'æ', 't']);
  assert.deepEqual(parseIpa('təˈmɑːtoʊ'), ['t', 'ə', 'ˈ', 'm', 'ɑː', 't', 'oʊ']);
  assert.deepEqual(parseIpa('/ˈtʃeɪndʒ/'), ['ˈ', 'tʃ', 'eɪ', 'n', 'dʒ'], 'diphthongs and affricates are one phoneme each');
  assert.deepEqual(parseIpa('[t͡ʃʰiː]'), ['t͡ʃʰ', 'iː']);
  assert.deepEqual(parseIpa('ẽ'), ['ẽ'], 'a combining tilde stays on its letter');
  assert.equal(formatIpa(parseIpa('/təˈmeɪtoʊ/')), '/təˈmeɪtoʊ/');
});

test('IPA with spaces is taken symbol by symbol as given; empty IPA is refused', () => {
  assert.deepEqual(parseIpa('t ə ˈm eɪ t oʊ'), ['t', 'ə', 'ˈm', 'eɪ', 't', 'oʊ']);
  assert.throws(() => parseIpa(' // '), ValidationError);
});

test('CSV: quotes, doubled quotes, commas and newlines inside quotes, CRLF, a BOM, blank lines', () => {
  const records = parseCsv('\uFEFFa,"b,c","say ""hi"""\r\n\r\n"multi\nline",x,\n');
  assert.deepEqual(records, [
    { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
    { line: 3, fields: ['multi\nline', 'x', ''] },
  ]);
  assert.deepEqual(parseCsv('no newline at the end'), [{ line: 1, fields: ['no newline at the end'] }]);
});

test('CSV errors carry the line and column', () => {
  const at = (text: string): string => {
    try {
      parseCsv(text);
    } catch (error) {
      assert.ok(error instanceof CsvSyntaxError);
      return `${error.line}:${error.column}`;
    }
    return 'no error';
  };
  assert.equal(at('ok,fine\nto"mato,en-US,x\n'), '2:3');
  assert.equal(at('"closed"x,y\n'), '1:9');
  assert.equal(at('a,b\nc,"never closed\n'), '2:3');
});

test('a CSV import: header row optional, languages normalised, IPA split', () => {
  const withHeader = entriesFromCsv('Headword,Language,IPA\ntomato,en_US,/təˈmeɪtoʊ/\n"Nguyen, Jr",en-US,w ɪ n\n', 'words.csv');
  assert.deepEqual(withHeader, [
    { displayHeadword: 'tomato', languageCode: 'en-US', phoneSymbols: ['t', 'ə', 'ˈ', 'm', 'eɪ', 't', 'oʊ'] },
    { displayHeadword: 'Nguyen, Jr', languageCode: 'en-US', phoneSymbols: ['w', 'ɪ', 'n'] },
  ]);
  assert.deepEqual(entriesFromCsv('cat,en-US,/kæt/', 'one.csv'), [{ displayHeadword: 'cat', languageCode: 'en-US', phoneSymbols: ['k', 'æ', 't'] }]);
});

test('a bad CSV line is one message naming the file, the line and the fix', () => {
  const message = (text: string): string => {
    try {
      entriesFromCsv(text, 'w.csv');
    } catch (error) {
      assert.ok(error instanceof ValidationError, String(error));
      return error.message;
    }
    return 'no error';
  };
  assert.match(message('cat,en-US,/kæt/\ntomato,en-US,\n'), /^w\.csv:2: "tomato" has no IPA; give it in the third field/);
  assert.match(message('tomato,english,/t/\n'), /^w\.csv:1: "english" is not a language code/);
  assert.match(message('tomato,en-US\n'), /^w\.csv:1: 2 fields; each line is headword,language,ipa/);
  assert.match(message('ok,en-US,/o/\n"open,en-US,/o/\n'), /^w\.csv:2:1: this quote is never closed/);
  assert.match(message('cat,en-US,/kæt/\nCAT,en-US,/kɑt/\n'), /^w\.csv:2 repeats "CAT" \(en-US\) from w\.csv:1/);
  const many = Array.from({ length: 1001 }, (_, i) => `w${i},en-US,/t/`).join('\n');
  assert.match(message(many), /1001 entries: one dictionary holds at most 1000/);
});

test('a JSON import: an array, Inworld\'s {pronunciations} shape, or `show --json` output', () => {
  const entry = { displayHeadword: 'cat', languageCode: 'en-US', phoneSymbols: ['k', 'æ', 't'] };
  assert.deepEqual(entriesFromJson(JSON.stringify([entry]), 'a.json'), [entry]);
  assert.deepEqual(entriesFromJson(JSON.stringify({ displayName: 'x', pronunciations: [entry] }), 'b.json'), [entry]);
  assert.deepEqual(entriesFromJson(JSON.stringify({ name: 'n', entries: [{ ...entry, phoneSymbols: '/kæt/' }] }), 'c.json'), [entry]);
  assert.throws(() => entriesFromJson('[{"displayHeadword":"cat","languageCode":"en-US"}]', 'd.json'), /d\.json entry 1 \("cat"\) has no IPA/);
  assert.throws(() => entriesFromJson('{"nothing": true}', 'e.json'), /holds no entries/);
  assert.throws(() => entriesFromJson('[1,', 'f.json'), /not valid JSON/);
});

test('a dictionary is a resource name, or an id in the workspace; anything else with a slash is refused', () => {
  assert.equal(resolveDictionaryName('abc', 'ws'), 'workspaces/ws/pronunciationDictionaries/abc');
  assert.equal(resolveDictionaryName('workspaces/other/pronunciationDictionaries/x', 'ws'), 'workspaces/other/pronunciationDictionaries/x');
  assert.throws(() => resolveDictionaryName('a/b', 'ws'), ValidationError);
  assert.throws(() => resolveDictionaryName('', 'ws'), ValidationError);
});
