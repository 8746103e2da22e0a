// The request log keeps memory bounded: at most 1000 records, and old bodies dropped first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestRecorder } from '../../src/emulator/index.js';

const entry = (bodyBytes: number) => ({ protocol: 'http' as const, method: 'POST', path: '/x', query: {}, headers: {}, body: { n: bodyBytes }, rawBody: 'x', bodyBytes });

test('records are numbered in order and capped at 1000', () => {
  const recorder = new RequestRecorder();
  for (let i = 0; i < 1005; i++) recorder.record(entry(1));
  const list = recorder.list();
  assert.equal(list.length, 1000);
  assert.equal(list[0]!.id, 6);
  assert.equal(list.at(-1)!.id, 1005);
  recorder.clear();
  assert.equal(recorder.list().length, 0);
});

test('past 64 MiB of bodies the oldest bodies are dropped, the newest kept', () => {
  const recorder = new RequestRecorder();
  const MB = 1024 * 1024;
  for (let i = 0; i < 5; i++) recorder.record(entry(20 * MB));
  const list = recorder.list();
  assert.equal(list.length, 5);
  assert.deepEqual(list.map((r) => r.bodyDropped === true), [true, true, false, false, false]);
  assert.equal(list[0]!.body, undefined);
  assert.deepEqual(list[4]!.body, { n: 20 * MB });
});

test('appendMessage collects WebSocket messages on a record', () => {
  const recorder = new RequestRecorder();
  const record = recorder.record({ protocol: 'ws', method: 'GET', path: '/ws', query: {}, headers: {} });
  recorder.appendMessage(record, { a: 1 });
  recorder.appendMessage(record, 'text');
  assert.deepEqual(recorder.find('/ws')[0]!.messages, [{ a: 1 }, 'text']);
  assert.deepEqual(recorder.find('/other'), []);
});
