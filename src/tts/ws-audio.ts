// Removes the RIFF/WAV headers the WebSocket puts on LINEAR16 chunks (every chunk) and WAV chunks
// (first chunk of each generation), so callers always get bare s16le samples to concatenate.
// The header is parsed rather than assumed to be 44 bytes (LK-JS's mistake).

const RIFF_MIN_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

/** Returns the sample bytes after the `data` chunk header, or the input unchanged when it has no RIFF header. */
export function stripWavHeader(chunk: Buffer): Buffer {
  if (chunk.length < RIFF_MIN_HEADER_BYTES) return chunk;
  if (chunk.toString('latin1', 0, 4) !== 'RIFF' || chunk.toString('latin1', 8, 12) !== 'WAVE') return chunk;
  let offset = RIFF_MIN_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= chunk.length) {
    const id = chunk.toString('latin1', offset, offset + 4);
    const size = chunk.readUInt32LE(offset + 4);
    if (id === 'data') return chunk.subarray(offset + CHUNK_HEADER_BYTES);
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    offset += CHUNK_HEADER_BYTES + size + (size % 2);
  }
  // A header with no data chunk carries no samples.
  return chunk.subarray(chunk.length);
}

/** Encodings whose WebSocket chunks carry RIFF headers the client must strip. */
export function encodingHasWavHeaders(encoding: string | undefined): boolean {
  return encoding === 'LINEAR16' || encoding === 'WAV';
}
