// How voice commands print: the table of voices, one voice in detail, and JSON for scripts (on
// stdout, where data goes; everything for humans goes to stderr through ui.ts).
import type { Voice } from '../../voices/types.js';
import { renderTable, type Column } from '../table.js';

export const VOICE_COLUMNS: Column<Voice>[] = [
  { header: 'ID', value: (voice) => voice.id },
  { header: 'NAME', value: (voice) => voice.displayName },
  { header: 'LANGUAGES', value: (voice) => voice.languages.join(',') },
  { header: 'GENDER', value: (voice) => (voice.gender ?? '').toLowerCase() },
  { header: 'AGE', value: (voice) => (voice.ageGroup ?? '').toLowerCase().replace(/_/g, ' ') },
  { header: 'DESCRIPTION', value: (voice) => voice.description ?? '' },
];

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printVoiceTable(voices: readonly Voice[]): void {
  const width = process.stdout.isTTY ? process.stdout.columns ?? 0 : 0;
  process.stdout.write(renderTable([...voices], VOICE_COLUMNS, width));
}

/** One voice as `field: value` lines on stdout. */
export function printVoice(voice: Voice): void {
  const rows: [string, string | undefined][] = [
    ['id', voice.id],
    ['name', voice.displayName],
    ['source', voice.source ?? (voice.isCustom ? 'custom' : 'system')],
    ['languages', voice.languages.join(', ')],
    ['gender', voice.gender?.toLowerCase()],
    ['age', voice.ageGroup?.toLowerCase().replace(/_/g, ' ')],
    ['tags', voice.tags.join(', ')],
    ['description', voice.description],
    ['resource', voice.name],
  ];
  const lines = rows.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => `${`${label}:`.padEnd(13)}${value}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `a, b ,c` → [a, b, c]. */
export function parseTags(text: string): string[] {
  return text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}
