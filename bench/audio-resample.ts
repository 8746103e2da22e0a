// CPU cost of the resampler: converts a synthetic 44.1 kHz signal to 16 kHz in 100 ms chunks and
// reports CPU seconds per hour of audio. Run: node --import tsx bench/audio-resample.ts [seconds]
import { Resampler } from '../src/audio/resampler.js';

const IN_RATE_HZ = 44_100;
const OUT_RATE_HZ = Number(process.argv[3] ?? 16_000);
const AUDIO_SECONDS = Number(process.argv[2] ?? 120);
const CHUNK_SAMPLES = IN_RATE_HZ / 10;

const chunk = Buffer.alloc(CHUNK_SAMPLES * 2);
for (let i = 0; i < CHUNK_SAMPLES; i++) {
  chunk.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / IN_RATE_HZ) + 3000 * Math.sin((2 * Math.PI * 12_000 * i) / IN_RATE_HZ)), i * 2);
}
const chunks = (AUDIO_SECONDS * IN_RATE_HZ) / CHUNK_SAMPLES;

// Warm up the JIT on a few seconds first, as a long transcription would be.
const warm = new Resampler(IN_RATE_HZ, OUT_RATE_HZ);
for (let i = 0; i < 30; i++) warm.process(chunk);

const resampler = new Resampler(IN_RATE_HZ, OUT_RATE_HZ);
const before = process.cpuUsage();
let outBytes = 0;
for (let i = 0; i < chunks; i++) outBytes += resampler.process(chunk).length;
outBytes += resampler.flush().length;
const used = process.cpuUsage(before);
const cpuSeconds = (used.user + used.system) / 1e6;
const perHour = (cpuSeconds * 3600) / AUDIO_SECONDS;
console.log(
  `${AUDIO_SECONDS} s of ${IN_RATE_HZ} Hz → ${OUT_RATE_HZ} Hz (${outBytes / 2} samples): ${cpuSeconds.toFixed(3)} CPU-s, ` +
    `${perHour.toFixed(2)} CPU-s per audio hour`,
);
