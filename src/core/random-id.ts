// Ids that must be unique but need not be secret: X-Request-Id values, WebSocket context ids,
// temporary file names. Made from Math.random (V8 seeds it per process from the OS), because
// node:crypto costs ~11 M instructions to load, about 2% of a whole `inworld say` (bench/FINDINGS.md);
// anything secret (tokens, session ids) uses node:crypto where it is made.

const HEX = '0123456789abcdef';

/** A random version-4 UUID: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`. */
export function randomId(): string {
  let id = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) id += '-';
    else if (i === 14) id += '4';
    else if (i === 19) id += HEX[8 + Math.floor(Math.random() * 4)];
    else id += HEX[Math.floor(Math.random() * 16)];
  }
  return id;
}
