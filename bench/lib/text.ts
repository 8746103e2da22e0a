// Deterministic English-like text of a given length, in sentences of varied length.
const WORDS = 'the quick brown fox jumps over a lazy dog while seven bright stars shine above quiet hills and rivers run toward an open sea under morning light'.split(' ');

export function makeText(chars: number, seed = 1): string {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const count = 6 + Math.floor(rand() * 14);
    const words = Array.from({ length: count }, () => WORDS[Math.floor(rand() * WORDS.length)]!);
    const sentence = `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}.`;
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

/** Sentences one per line, for the streaming commands. */
export function makeLines(chars: number, seed = 1): string {
  return `${makeText(chars, seed).replace(/\. /g, '.\n')}\n`;
}
