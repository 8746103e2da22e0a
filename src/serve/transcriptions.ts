// `POST /v1/audio/transcriptions`: the uploaded file decoded in memory and streamed through
// Inworld's STT WebSocket; each final turn becomes a segment. Form fields are checked (and the
// file decoded far enough to know it is audio) before the upstream connection opens.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Inworld } from '../inworld.js';
import { DEFAULT_STT_LANGUAGE } from '../stt/options.js';
import { readFormBody } from './body.js';
import { badRequest } from './errors.js';
import { INWORLD_TRANSCRIPTION_MODELS, type GatewayMapping } from './mapping.js';
import { renderTranscript, TRANSCRIPT_FORMATS, type TranscriptFormat, type TranscriptTurn } from './transcript-formats.js';
import { openUploadAudio } from './upload-audio.js';

const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;
const GRANULARITIES = ['word', 'segment'];

interface TranscriptionPlan {
  file: File;
  model: string;
  language: string;
  format: TranscriptFormat;
  granularities: Set<string>;
}

function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function planTranscription(form: FormData, mapping: GatewayMapping): TranscriptionPlan {
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw badRequest('the form has no "file": attach the audio as a file field named "file"', 'file');
  const name = field(form, 'model');
  if (name === undefined) throw badRequest('"model" is required, e.g. "whisper-1"', 'model');
  const model = mapping.transcriptionModels[name] ?? (INWORLD_TRANSCRIPTION_MODELS.includes(name) ? name : undefined);
  if (model === undefined) {
    const available = [...Object.keys(mapping.transcriptionModels), ...INWORLD_TRANSCRIPTION_MODELS].join(', ');
    throw badRequest(`the model "${name}" is not available for transcription; use one of ${available}`, 'model', 'model_not_found');
  }
  const language = field(form, 'language') ?? DEFAULT_STT_LANGUAGE;
  if (!LANGUAGE_PATTERN.test(language)) throw badRequest(`"language" must be an ISO-639-1 or BCP-47 code such as en or en-US, not "${language}"`, 'language');
  const format = (field(form, 'response_format') ?? 'json') as TranscriptFormat;
  if (!TRANSCRIPT_FORMATS.includes(format)) throw badRequest(`"response_format" "${format}" is not supported; use one of ${TRANSCRIPT_FORMATS.join(', ')}`, 'response_format');
  const granularities = new Set([...form.getAll('timestamp_granularities[]'), ...form.getAll('timestamp_granularities')].map(String));
  for (const value of granularities) {
    if (!GRANULARITIES.includes(value)) throw badRequest(`"timestamp_granularities[]" must be word or segment, not "${value}"`, 'timestamp_granularities');
  }
  if (field(form, 'stream') === 'true') throw badRequest('"stream": true is not supported by this gateway; leave it out', 'stream');
  return { file, model, language: language.replace(/_/g, '-'), format, granularities };
}

export async function handleTranscription(inworld: Inworld, mapping: GatewayMapping, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const plan = planTranscription(await readFormBody(request), mapping);
  const upload = await openUploadAudio(Buffer.from(await plan.file.arrayBuffer()), plan.file.name || 'file');
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.on('close', onClose);
  let audioBytes = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of upload.audio) {
      audioBytes += chunk.length;
      yield chunk;
    }
  }
  const turns: TranscriptTurn[] = [];
  try {
    const events = inworld.stt.transcribe(counted(), {
      sampleRateHertz: upload.sampleRateHertz,
      channels: 1,
      model: plan.model,
      language: plan.language,
      voiceProfile: false,
      signal: controller.signal,
    });
    for await (const event of events) {
      if (event.type === 'final') turns.push({ text: event.text, words: event.words, startMs: event.startMs, endMs: event.endMs });
    }
  } finally {
    response.off('close', onClose);
    upload.close();
  }
  const durationSeconds = audioBytes / (2 * upload.sampleRateHertz);
  const rendered = renderTranscript({ turns, durationSeconds, language: plan.language }, plan.format, plan.granularities);
  response.writeHead(200, { 'Content-Type': rendered.contentType, 'Content-Length': Buffer.byteLength(rendered.body) }).end(rendered.body);
}
