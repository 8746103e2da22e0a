// Test WAV files: 16 kHz mono s16le, alternating 4 s of a modulated tone ("speech") and 4 s of
// silence, so the emulator's VAD sees turns. Written in 8-second blocks, never held whole.
import { openSync, writeSync, closeSync } from 'node:fs';

export function writeTestWav(path: string, seconds: number, rate = 16_000): void {
  const samples = seconds * rate;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples * 2, 40);
  const blockSamples = 8 * rate;
  const block = Buffer.alloc(blockSamples * 2);
  for (let i = 0; i < blockSamples / 2; i++) {
    const t = i / rate;
    block.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * 220 * t) * Math.sin(2 * Math.PI * 3 * t)), i * 2);
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    let left = samples;
    while (left > 0) {
      const n = Math.min(left, blockSamples);
      writeSync(fd, block, 0, n * 2);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}
