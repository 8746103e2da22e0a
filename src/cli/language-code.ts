// The one check for a language code, shared by `--language` (say, stream, transcribe) and
// `config set language`: the BCP-47 shape (en, en-US, ja-JP, zh-Hant-TW), `_` normalised to `-`.
import { InvalidArgumentError } from 'commander';

/** The normalised code, or undefined when `value` is not shaped like BCP-47 ("english"). */
export function languageCode(value: string): string | undefined {
  const code = value.trim();
  return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(code) ? code.replace(/_/g, '-') : undefined;
}

export function languageProblem(name: string, value: string): string {
  return `${name} must be a BCP-47 code such as en-US or ja-JP, not "${value}"`;
}

/** The commander parser for a --language flag. */
export function languageFlag(flag: string): (value: string) => string {
  return (value) => {
    const code = languageCode(value);
    if (code === undefined) throw new InvalidArgumentError(`${languageProblem(flag, value)}.`);
    return code;
  };
}
