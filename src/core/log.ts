// Diagnostic logging for --verbose. Every line passes through the redactor, so a secret handed to
// the logger (or echoed back in a URL or server message) never reaches the terminal.

/** Receives the library's debug lines (requests, retries, fallbacks). */
export interface Logger {
  /** One line of diagnostics. */
  debug(message: string): void;
}

export const silentLogger: Logger = { debug() {} };

/** Replaces every occurrence of each secret (and of an `Authorization` header value) with a mask. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(mask(secret));
  }
  return out.replace(/(authorization["']?\s*[:=]\s*["']?(?:basic|bearer)\s+)[^\s"',}]+/gi, '$1****');
}

/** Shows only the last four characters, as `inworld config` does. */
export function mask(secret: string): string {
  return secret.length <= 8 ? '****' : `****${secret.slice(-4)}`;
}

export function redactingLogger(sink: (line: string) => void, secrets: readonly string[]): Logger {
  return { debug: (message) => sink(redact(message, secrets)) };
}
