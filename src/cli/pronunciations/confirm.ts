// A yes/no question on the terminal before something that cannot be undone. Without a terminal
// there is nobody to ask, so the caller must have said --yes.
import { createInterface } from 'node:readline/promises';
import { ValidationError } from '../../core/errors.js';

/** True when the user answered yes on the terminal; a ValidationError when there is no terminal to ask. */
export async function confirm(question: string, stdin: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  if (!stdin.isTTY) throw new ValidationError(`${question.replace(/\?$/, '')}: standard input is not a terminal to ask on; pass --yes to go ahead.`);
  const prompt = createInterface({ input: stdin, output, terminal: true });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
