// Removing RIFF/WAVE headers from synthesized audio chunks. LINEAR16 puts a complete header on
// every streamed chunk; WAV puts one on the first chunk of a response; the non-streaming endpoint
// puts one on the whole file. We parse the header (walking the chunk list up to `data`) rather than
// dropping 44 bytes blindly, because a header may carry extra chunks (LIST, fact) and be longer.
// A chunk is only treated as a header when it starts with "RIFF....WAVE", so raw PCM is untouched.

export interface WavInfo {
  /** WAVE format tag: 1 PCM, 3 float, 6 A-law, 7 μ-law, 0xFFFE extensible. */
  formatTag: number;
  channels: number;
  sampleRateHertz: number;
  bitsPerSample: number;
  /** Offset of the first audio byte (the header length). */
  dataOffset: number;
  /** The size the `data` chunk declares (may be a placeholder such as 0 or 0xFFFFFFFF when streaming). */
  declaredDataBytes: number;
}

const RIFF = 0x46464952; // "RIFF" read little-endian
const WAVE = 0x45564157; // "WAVE"

/** True when the buffer starts like a RIFF/WAVE file. */
export function looksLikeWav(buffer: Uint8Array): boolean {
  if (buffer.length < 12) return false;
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return view.readUInt32LE(0) === RIFF && view.readUInt32LE(8) === WAVE;
}

/**
 * Parses a WAV header. Returns undefined when the buffer is not WAV or the header is incomplete
 * (no `data` chunk within the buffer).
 */
export function parseWavHeader(buffer: Uint8Array): WavInfo | undefined {
  if (!looksLikeWav(buffer)) return undefined;
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'declaredDataBytes'> | undefined;
  while (offset + 8 <= view.length) {
    const id = view.toString('latin1', offset, offset + 4);
    const size = view.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'data') {
      if (!fmt) return undefined;
      return { ...fmt, dataOffset: body, declaredDataBytes: size };
    }
    if (id === 'fmt ') {
      if (body + 16 > view.length) return undefined;
      fmt = {
        formatTag: view.readUInt16LE(body),
        channels: view.readUInt16LE(body + 2),
        sampleRateHertz: view.readUInt32LE(body + 4),
        bitsPerSample: view.readUInt16LE(body + 14),
      };
    }
    // Chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
  return undefined;
}

export interface StrippedChunk {
  /** The audio bytes after any header. */
  audio: Buffer;
  /** The header found at the start of the chunk, if any. */
  wav?: WavInfo;
  /** True when the chunk started like WAV but held no complete header and no audio (a header-only fragment). */
  headerOnly: boolean;
}

/** Strips a leading WAV header from one chunk, if it has one. */
export function stripWavHeader(chunk: Buffer): StrippedChunk {
  if (!looksLikeWav(chunk)) return { audio: chunk, headerOnly: false };
  const wav = parseWavHeader(chunk);
  if (!wav) return { audio: Buffer.alloc(0), headerOnly: true };
  return { audio: chunk.subarray(wav.dataOffset), wav, headerOnly: false };
}
