// The checksums the container joiners recompute after rewriting a frame or page: FLAC's header
// CRC-8 (polynomial 0x07) and frame CRC-16 (0x8005), and Ogg's page CRC-32 (0x04c11db7). All three
// are MSB-first with an initial value of 0 and no final XOR, so one table builder serves them.

function crcTable(bits: 8 | 16 | 32, polynomial: number): Uint32Array {
  const top = 2 ** (bits - 1);
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte * 2 ** (bits - 8);
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc >= top ? (crc - top) * 2 ^ polynomial : crc * 2;
      crc = bits === 32 ? crc >>> 0 : crc & ((1 << bits) - 1);
    }
    table[byte] = crc >>> 0;
  }
  return table;
}

const CRC8 = crcTable(8, 0x07);
const CRC16 = crcTable(16, 0x8005);
const CRC32 = crcTable(32, 0x04c11db7);

export function flacCrc8(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0;
  for (let i = from; i < to; i += 1) crc = CRC8[crc ^ bytes[i]!]!;
  return crc;
}

/** Continues a FLAC CRC-16 over bytes[from, to); start with 0. */
export function flacCrc16(bytes: Uint8Array, from = 0, to = bytes.length, crc = 0): number {
  for (let i = from; i < to; i += 1) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ bytes[i]!]!;
  return crc;
}

export function oggCrc32(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i += 1) crc = ((crc << 8) ^ CRC32[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc;
}

/**
 * Continues a FLAC CRC-16 from `from` until the running value is 0 (a frame may end there: a
 * frame's bytes followed by their CRC-16 give 0). Returns that position, or bytes.length, and the
 * CRC of everything before it.
 */
export function flacCrc16UntilZero(bytes: Uint8Array, from: number, crc: number): { at: number; crc: number } {
  let i = from;
  for (; i < bytes.length && crc !== 0; i += 1) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ bytes[i]!]!;
  return { at: i, crc };
}
