// The three CRCs the container writers need. All are MSB-first (non-reflected) with init 0.

function table(bits: 8 | 16 | 32, poly: number): Uint32Array {
  const top = 2 ** (bits - 1);
  const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = (i * 2 ** (bits - 8)) >>> 0;
    for (let b = 0; b < 8; b++) {
      crc = crc >= top || (crc & top) !== 0 ? ((crc * 2) ^ poly) >>> 0 : (crc * 2) >>> 0;
      crc = bits === 32 ? crc >>> 0 : crc & mask;
    }
    out[i] = crc >>> 0;
  }
  return out;
}

const CRC8_TABLE = table(8, 0x07); // FLAC frame header
const CRC16_TABLE = table(16, 0x8005); // FLAC frame footer
const CRC32_TABLE = table(32, 0x04c11db7); // Ogg pages

export function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = CRC8_TABLE[crc ^ byte]!;
  return crc;
}

export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >> 8) ^ byte]!;
  return crc;
}

export function crc32Ogg(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ CRC32_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc >>> 0;
}
