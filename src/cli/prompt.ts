// Reading a secret (the API key) without it landing in shell history or on the screen: a hidden
// prompt on a terminal (raw mode, nothing echoed), or the whole of standard input when piped.
import { UserAbortError, ValidationError } from '../core/errors.js';

/** A key is well under 1 KiB; refusing more stops `inworld login < big-file` from hanging on it. */
export const MAX_SECRET_INPUT_BYTES = 64 * 1024;

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = '\u007f';
const BACKSPACE_ALT = '\b';
const ESCAPE = '\u001b';

export interface SecretInput {
  /** Where the secret came from, for messages: a hidden prompt or piped standard input. */
  source: 'prompt' | 'stdin';
  value: string;
}

/** A hidden prompt when stdin is a terminal, otherwise stdin's contents. */
export async function readSecret(prompt: string, stdin: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<SecretInput> {
  if (stdin.isTTY) return { source: 'prompt', value: await promptHidden(prompt, stdin, output) };
  return { source: 'stdin', value: await readPipedSecret(stdin) };
}

/** Reads one line from a terminal in raw mode, echoing nothing, so the key never shows on screen. */
export function promptHidden(prompt: string, stdin: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    let escape = false;
    output.write(prompt);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (escape) {
          // Skip a terminal escape sequence (arrow keys, bracketed-paste markers) up to its final letter or ~.
          if (/[A-Za-z~]/.test(char)) escape = false;
          continue;
        }
        if (char === '\r' || char === '\n') return finish();
        if (char === CTRL_C) return finish(new UserAbortError('Interrupted'));
        if (char === CTRL_D) {
          if (value.length === 0) return finish();
          continue;
        }
        if (char === CTRL_U) value = '';
        else if (char === BACKSPACE || char === BACKSPACE_ALT) value = [...value].slice(0, -1).join('');
        else if (char === ESCAPE) escape = true;
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** All of piped stdin, trimmed; one line only (a key never spans lines). */
export async function readPipedSecret(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_SECRET_INPUT_BYTES) {
      throw new ValidationError(`Standard input is over ${MAX_SECRET_INPUT_BYTES} bytes; pipe in only the API key`);
    }
    chunks.push(buffer);
  }
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length > 1) throw new ValidationError('Standard input has more than one line; pipe in only the API key');
  return lines[0] ?? '';
}

/**
 * Asks a yes/no question on a terminal and resolves true only for "y" or "yes"; anything else
 * (Enter, Ctrl-D) is no. Ctrl-C rejects with UserAbortError. For non-terminals, callers must not ask.
 */
export async function confirm(question: string, stdin: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (answer: boolean | Error) => {
      if (settled) return;
      settled = true;
      lines.close();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    lines.on('SIGINT', () => finish(new UserAbortError('Interrupted')));
    lines.on('close', () => finish(false));
    lines.question(`${question} [y/N] `, (answer) => finish(/^\s*y(es)?\s*$/i.test(answer)));
  });
}
