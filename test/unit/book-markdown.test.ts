import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Lexer } from 'marked';
import { ValidationError } from '../../src/core/errors.js';
import { readBook } from '../../src/book/index.js';
import { lexInWindows, prepareMarkdown } from '../../src/book/markdown-lexing.js';
import { tempDirectory } from '../helpers/temp-files.js';

const files = tempDirectory('book-md');

async function chaptersOf(name: string, markdown: string) {
  return (await readBook(files.write(name, markdown))).chapters;
}

describe('Markdown chapters', () => {
  test('one top heading is the title; the repeated level below it splits chapters', async () => {
    const book = await readBook(files.write('novel.md', '# The Novel\n\nA foreword.\n\n## One\n\nFirst.\n\n### A scene\n\nMore.\n\n## Two\n\nSecond.\n'));
    assert.equal(book.title, 'The Novel');
    assert.deepEqual(
      book.chapters.map((chapter) => [chapter.number, chapter.title, chapter.text]),
      [
        [1, 'The Novel', 'The Novel.\n\nA foreword.'],
        [2, 'One', 'One.\n\nFirst.\n\nA scene.\n\nMore.'],
        [3, 'Two', 'Two.\n\nSecond.'],
      ],
    );
  });

  test('with no text before the first chapter there is no opening chapter (the title opens chapter 1)', async () => {
    const chapters = await chaptersOf('no-opening.md', '# Title\n\n## A\n\nText a.\n\n## B\n\nText b.\n');
    assert.deepEqual(chapters.map((chapter) => [chapter.title, chapter.text]), [['A', 'Title.\n\nA.\n\nText a.'], ['B', 'B.\n\nText b.']]);
  });

  test('repeated top headings are chapters themselves; lower ones stay inside', async () => {
    const chapters = await chaptersOf('tops.md', '# A\n\n## a1\n\nx\n\n## a2\n\ny\n\n# B\n\nz\n');
    assert.deepEqual(chapters.map((chapter) => chapter.title), ['A', 'B']);
    assert.equal(chapters[0]!.text, 'A.\n\na1.\n\nx\n\na2.\n\ny');
  });

  test('setext headings count like ATX ones; text before any heading is an opening chapter named after the file', async () => {
    const chapters = await chaptersOf('setext.md', 'Opening words.\n\nOne\n---\n\nx\n\nTwo\n---\n\ny\n');
    assert.deepEqual(chapters.map((chapter) => chapter.title), ['setext', 'One', 'Two']);
  });

  test('a document with no repeated heading level is one chapter', async () => {
    const chapters = await chaptersOf('flat.md', '# Only\n\nText.\n\n## Section\n\nMore.');
    assert.deepEqual(chapters, [{ number: 1, title: 'Only', text: 'Only.\n\nText.\n\nSection.\n\nMore.' }]);
  });
});

describe('Markdown markup read as a listener wants', () => {
  test('every construct', async () => {
    const markdown = [
      '---',
      'title: Front matter is skipped',
      'tags: [a, b]',
      '---',
      '',
      'Read [the docs](https://example.com) and [ref link][r], see ![a diagram](d.png) ![](no-alt.png),',
      '**bold**, _em_, ~~gone~~, `inline code`, Tom &amp; Jerry, 2 \\* 3, <kbd>Ctrl</kbd>+C<br>next line.',
      '',
      '[r]: https://example.com/ref',
      '',
      '- first item',
      '- second item!',
      '  - nested item',
      '- [x] a task',
      '',
      '1. ordered one',
      '2. ordered two',
      '',
      '| Name | Age |',
      '|------|-----|',
      '| Ann  | 30  |',
      '|      | 4   |',
      '',
      '```js',
      'console.log("never read");',
      '```',
      '',
      '    indented code is skipped too',
      '',
      '<div class="note"><p>Inside HTML</p><script>alert("no")</script></div>',
      '',
      '<!-- a comment -->',
      '',
      '> A quotation.',
      '',
      '***',
      '',
      'The end.',
    ].join('\n');
    const [chapter] = await chaptersOf('constructs.md', markdown);
    assert.deepEqual(chapter!.text.split('\n\n'), [
      'Read the docs and ref link, see a diagram , bold, em, gone, inline code, Tom & Jerry, 2 * 3, Ctrl +C next line.',
      'first item. second item! nested item. a task.',
      'ordered one. ordered two.',
      'Name: Ann; Age: 30.',
      'Age: 4.',
      'Inside HTML',
      'A quotation.',
      'The end.',
    ]);
  });

  test('a file of only markup and code has nothing to speak', async () => {
    await assert.rejects(
      readBook(files.write('code-only.md', '```\ncode\n```\n\n<!-- note -->\n\n---\n')),
      (error: Error) => error instanceof ValidationError && /code-only\.md has no text to speak \(it holds only markup, code or blank lines\)/.test(error.message),
    );
  });
});

describe('Markdown lexed in windows', () => {
  test('windowed lexing yields exactly the tokens of lexing whole', () => {
    // Tokens that span blank lines (fenced code) and long runs of short ones, in windows of 500 characters.
    const parts: string[] = [];
    for (let index = 0; index < 300; index++) {
      parts.push(`## Chapter ${index}\n\nSome *text* in a paragraph\nthat wraps.\n\n- a list\n- of items\n\n\`\`\`\ncode with a blank line\n\ninside it\n\`\`\`\n\n| h | i |\n|---|---|\n| ${index} | x |\n`);
    }
    const source = prepareMarkdown(parts.join('\n'));
    const whole = new Lexer({ gfm: true }).lex(source).map((token) => [token.type, token.raw]);
    const windows = [...lexInWindows(Lexer, source, 500, 0)];
    assert.ok(windows.length > 50, `${windows.length} windows`);
    assert.deepEqual(windows.flat().map((token) => [token.type, token.raw]), whole);
  });
});
