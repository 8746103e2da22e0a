// The Ogg Opus and MP3 part joiners on the emulator's real encoder output (libopus in Ogg, lamejs),
// checked by an independent walk of the pages and frames, and by ffmpeg where it is installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureDuration, parseMp3Header } from '../../src/audio/duration-meter.js';
import { opusPacketSamples } from '../../src/audio/ogg-opus-join.js';
import { createPartJoiner } from '../../src/audio/part-joiner.js';
import { crc32Ogg } from '../../src/emulator/codecs/crc.js';
import { encodeAll } from '../../src/emulator/codecs/encoders.js';
import { FFMPEG_MISSING, RATE, ffmpegView, joinParts, samples } from './join-helpers.js';

const LENGTHS = [RATE * 2 + 123, RATE + 5000, 3001];
const PRE_SKIP = 312;

interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  /** Packets that complete on this page (with the bytes carried over from earlier pages). */
  packets: Buffer[];
}

/** Walks an Ogg stream page by page, checking every CRC. */
function walkOgg(data: Buffer): OggPage[] {
  const pages: OggPage[] = [];
  let partial: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    assert.equal(data.toString('latin1', at, at + 4), 'OggS', `a page at ${at}`);
    const segments = data[at + 26]!;
    const lacing = [...data.subarray(at + 27, at + 27 + segments)];
    const length = 27 + segments + lacing.reduce((sum, value) => sum + value, 0);
    const page = Buffer.from(data.subarray(at, at + length));
    const crc = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    assert.equal(crc32Ogg(page), crc, `CRC of the page at ${at}`);
    const packets: Buffer[] = [];
    let offset = 27 + segments;
    for (const value of lacing) {
      partial.push(page.subarray(offset, offset + value));
      offset += value;
      if (value < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    pages.push({ flags: page[5]!, granule: page.readBigInt64LE(6), serial: page.readUInt32LE(14), sequence: page.readUInt32LE(18), packets });
    at += length;
  }
  return pages;
}

const packetSamples = (packet: Buffer): number => opusPacketSamples(packet[0]!, packet[1]);

function oggParts(): Buffer[] {
  return LENGTHS.map((length, i) => encodeAll({ encoding: 'OGG_OPUS', sampleRateHertz: RATE }, samples(length, i)));
}

test('Opus packet durations come from the TOC byte (RFC 6716 §3.1)', () => {
  assert.equal(opusPacketSamples(0b11111_0_00, undefined), 960, 'CELT 20 ms, one frame');
  assert.equal(opusPacketSamples(0b10000_0_00, undefined), 120, 'CELT 2.5 ms');
  assert.equal(opusPacketSamples(0b00011_0_01, undefined), 2 * 2880, 'SILK 60 ms, two frames');
  assert.equal(opusPacketSamples(0b01101_0_10, undefined), 2 * 960, 'hybrid 20 ms, two frames');
  assert.equal(opusPacketSamples(0b11111_0_11, 0b0000_0101), 5 * 960, 'code 3: the count byte');
});

test('Ogg Opus: the parts become one logical stream: one serial, one header, continuous sequence and granules', () => {
  const parts = oggParts();
  const joined = joinParts('ogg_opus', parts);
  const pages = walkOgg(joined.bytes);
  const inputPages = parts.map(walkOgg);
  assert.equal(new Set(pages.map((page) => page.serial)).size, 1);
  assert.deepEqual(pages.map((page) => page.sequence), pages.map((_, i) => i));
  assert.deepEqual(pages.map((page) => page.flags & 0x06), pages.map((_, i) => (i === 0 ? 0x02 : i === pages.length - 1 ? 0x04 : 0)), 'BOS first, EOS last only');
  const packets = pages.flatMap((page) => page.packets);
  assert.equal(packets[0]!.toString('latin1', 0, 8), 'OpusHead');
  assert.equal(packets[1]!.toString('latin1', 0, 8), 'OpusTags');
  // Every audio packet of every part, untouched and in order; no other header.
  const audio = inputPages.flatMap((part) => part.flatMap((page) => page.packets).slice(2));
  assert.deepEqual(packets.slice(2), audio);
  // Granules count the packets decoded so far (the first part's pre-skip included); only the last
  // page trims its padding.
  const partPackets = inputPages.map((part) => part.flatMap((page) => page.packets).slice(2).reduce((sum, packet) => sum + packetSamples(packet), 0));
  let decoded = 0;
  for (const [i, page] of pages.entries()) {
    decoded += i < 2 ? 0 : page.packets.reduce((sum, packet) => sum + packetSamples(packet), 0);
    if (i >= 2 && i < pages.length - 1) assert.equal(page.granule, BigInt(decoded), `granule of page ${i}`);
  }
  const lastGranule = inputPages.at(-1)!.at(-1)!.granule;
  const before = partPackets[0]! + partPackets[1]!;
  assert.equal(pages.at(-1)!.granule, BigInt(before) + lastGranule);
  assert.equal(measureDuration('ogg_opus', RATE, joined.bytes), (before + Number(lastGranule) - PRE_SKIP) / 48000);
  // A later part's timestamps start after the packets before it and its own pre-skip, which plays.
  assert.deepEqual(joined.offsets, [0, partPackets[0]! / 48000, before / 48000]);
});

test('Ogg Opus: bytes cut anywhere give the same stream, and the joiner holds at most a page', () => {
  const parts = oggParts();
  const whole = joinParts('ogg_opus', parts, [1 << 30]);
  const largestPage = Math.max(...parts.flatMap((part) => walkOgg(part).map((page) => 27 + 255 + page.packets.reduce((sum, p) => sum + p.length, 0))));
  for (const pieces of [[1], [3, 26, 27, 1000]]) {
    const joined = joinParts('ogg_opus', parts, pieces);
    assert.ok(joined.bytes.equals(whole.bytes), `pieces ${pieces.join(',')}`);
    // Pushed and not given out: a page and a piece, plus the later parts' dropped header pages.
    assert.ok(joined.maxHeldBytes <= largestPage + Math.max(...pieces) + 200 * parts.length, `held ${joined.maxHeldBytes} bytes`);
  }
});

test('Ogg Opus: parts with different channel counts are refused', () => {
  const [first, second] = oggParts();
  const stereo = Buffer.from(second!);
  stereo[27 + stereo[26]! + 9] = 2; // OpusHead's channel count
  stereo.writeUInt32LE(0, 22);
  stereo.writeUInt32LE(crc32Ogg(stereo.subarray(0, 27 + stereo[26]! + 19)), 22);
  const joiner = createPartJoiner('ogg_opus')!;
  joiner.push(first!);
  joiner.endPart();
  assert.throws(() => joiner.push(stereo), /part 2 has 2 channel\(s\), part 1 1/);
});

/** An ID3v2.4 tag with `size` bytes of body that look like frame syncs. */
function id3v2(size: number): Buffer {
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, (size >> 7) & 0x7f, size & 0x7f]), Buffer.alloc(size, 0xff)]);
}

/** A Xing/Info frame shaped like the part's first frame, giving the part's frame count. */
function infoFrame(audio: Buffer, tag: 'Info' | 'Xing'): Buffer {
  const header = parseMp3Header(audio, 0)!;
  const frame = Buffer.alloc(header.bytes);
  audio.copy(frame, 0, 0, 4);
  frame.write(tag, header.tagOffset, 'latin1');
  frame.writeUInt32BE(1, header.tagOffset + 4); // flags: the frame count follows
  frame.writeUInt32BE(Math.round((measureDuration('mp3', RATE, audio) * header.rate) / header.samples), header.tagOffset + 8);
  return frame;
}

function mp3Parts(): { frames: Buffer[]; tagged: Buffer[]; leadingTag: Buffer } {
  const frames = LENGTHS.map((length, i) => encodeAll({ encoding: 'MP3', sampleRateHertz: RATE }, samples(length, i)));
  const leadingTag = id3v2(300);
  const id3v1 = Buffer.concat([Buffer.from('TAG', 'latin1'), Buffer.alloc(125, 0x20)]);
  const tagged = [
    Buffer.concat([leadingTag, infoFrame(frames[0]!, 'Info'), frames[0]!, id3v1]),
    Buffer.concat([id3v2(120), infoFrame(frames[1]!, 'Xing'), frames[1]!]),
    frames[2]!,
  ];
  return { frames, tagged, leadingTag };
}

test('MP3: the first ID3v2 tag is kept; later ones, Xing/Info frames and ID3v1 tags are dropped; frames untouched', () => {
  const { frames, tagged, leadingTag } = mp3Parts();
  const joined = joinParts('mp3', tagged);
  assert.ok(joined.bytes.equals(Buffer.concat([leadingTag, ...frames])));
  assert.equal(joined.patch, undefined);
  const seconds = frames.map((part) => measureDuration('mp3', RATE, part));
  assert.equal(joined.offsets.length, 3);
  [0, seconds[0]!, seconds[0]! + seconds[1]!].forEach((offset, i) => assert.ok(Math.abs(joined.offsets[i]! - offset) < 1e-9, `part ${i}: ${joined.offsets[i]}`));
  // Without tags the joiner changes nothing.
  assert.ok(joinParts('mp3', frames).bytes.equals(Buffer.concat(frames)));
});

test('PCM and G.711 parts need no joiner: plain concatenation is one stream', () => {
  for (const container of ['pcm_s16le', 'mulaw', 'alaw'] as const) assert.equal(createPartJoiner(container), undefined);
});

test('Ogg Opus and MP3: ffprobe and ffmpeg read the joined file whole and without errors', { skip: FFMPEG_MISSING }, () => {
  const ogg = joinParts('ogg_opus', oggParts()).bytes;
  const oggView = ffmpegView(ogg, 'ogg', 48000);
  assert.equal(oggView.errors, '');
  const oggSeconds = measureDuration('ogg_opus', RATE, ogg);
  assert.ok(Math.abs(oggView.decoded.length / 2 / 48000 - oggSeconds) < 0.001, `decoded ${oggView.decoded.length / 96000} s, meter ${oggSeconds} s`);
  // ffprobe reads an Ogg Opus duration as the last granule, pre-skip included.
  assert.ok(Math.abs(oggView.probed - oggSeconds - PRE_SKIP / 48000) < 0.001, `ffprobe ${oggView.probed} s, meter ${oggSeconds} s`);
  const plainOgg = ffmpegView(Buffer.concat(oggParts()), 'ogg', 48000);
  assert.ok(oggSeconds - plainOgg.probed > 1, `the plain chain is misread: ffprobe ${plainOgg.probed} s`);

  const { tagged } = mp3Parts();
  const mp3 = joinParts('mp3', tagged).bytes;
  const mp3View = ffmpegView(mp3, 'mp3');
  assert.equal(mp3View.errors, '');
  assert.ok(Math.abs(mp3View.probed - measureDuration('mp3', RATE, mp3)) < 0.002, `ffprobe ${mp3View.probed} s`);
  const plainMp3 = ffmpegView(Buffer.concat(tagged), 'mp3');
  assert.ok(Math.abs(plainMp3.probed - measureDuration('mp3', RATE, mp3)) > 0.5, `the first Info frame misleads: ffprobe ${plainMp3.probed} s`);
});
