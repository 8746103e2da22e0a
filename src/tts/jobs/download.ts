// Fetches a finished job's files from their signed URLs. Signed URLs carry their own
// authorization, so no credentials are sent (our key must never reach a storage host). The bytes
// stream into a temporary file that is renamed into place only when complete (core/atomic-file.ts);
// headerless PCM can be given its WAV header on the way. A storage host answers an expired or
// altered signature with 400 or 403: that becomes a SignedUrlExpiredError saying how to get fresh
// URLs (reading the operation again issues new ones).
import { AtomicFile } from '../../core/atomic-file.js';
import { InworldError, makeApiError, TimeoutError } from '../../core/errors.js';
import { mapNetworkError } from '../../core/network-errors.js';
import { abortError, withRetry } from '../../core/retry.js';
import { sendRequest } from '../../core/transport.js';
import type { InworldClient } from '../../core/client.js';

/** Largest results file (batch) read into memory. */
export const MAX_RESULTS_FILE_BYTES = 64 * 1024 * 1024;

/** A signed result URL that the storage host no longer accepts (expired, or not signed for this). */
export class SignedUrlExpiredError extends InworldError {
  override readonly code = 'signed_url_expired';
  readonly status: number;
  constructor(status: number, what: string) {
    super(`The signed URL of the ${what} was refused (HTTP ${status}): it has expired or is not valid any more.`, {
      retryable: false,
      hint: 'Signed URLs are short-lived; `inworld jobs download` reads the operation again, which gives fresh URLs, and downloads from those.',
    });
    this.status = status;
  }
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** What the file is, for messages ("audio", "timestamps"). */
  what?: string;
  /** Headerless 16-bit PCM: write a WAV header with this rate in front (sizes filled in at the end). */
  wavSampleRateHertz?: number;
  /** First-byte deadline, ms; the client's timeout by default. */
  timeoutMs?: number;
}

/** The redacted form of a signed URL for messages and logs: host and path, never the signature. */
export function redactSignedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

async function openSigned(client: InworldClient, uri: string, options: DownloadOptions) {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InworldError(`The job's ${options.what ?? 'result'} URL is not a URL: ${uri.slice(0, 80)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InworldError(`The job's ${options.what ?? 'result'} URL is not http(s): ${url.protocol}`);
  const controller = new AbortController();
  const onAbort = () => controller.abort(abortError(options.signal!));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const ms = options.timeoutMs ?? client.timeoutMs;
  const timer = Number.isFinite(ms) && ms > 0 ? setTimeout(() => controller.abort(new TimeoutError(`No answer from ${url.host} within ${ms} ms.`, { retryable: true })), ms) : undefined;
  timer?.unref();
  const release = () => {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
  try {
    const response = await sendRequest(url, { method: 'GET', headers: { Accept: '*/*' }, signal: controller.signal });
    if (response.statusCode === 400 || response.statusCode === 403) {
      response.body.destroy();
      throw new SignedUrlExpiredError(response.statusCode, options.what ?? 'result');
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      response.body.destroy();
      throw makeApiError({ status: response.statusCode, serverMessage: `storage host ${url.host} answered ${response.statusCode} for ${redactSignedUrl(uri)}` });
    }
    return { body: response.body, release, controller, url };
  } catch (error) {
    release();
    if (error instanceof InworldError) throw error;
    throw mapNetworkError(error, controller.signal, url, 'signed-url');
  }
}

/** Downloads one signed URL into `path` (atomically); retried on network and 5xx failures. Returns the bytes of content. */
export async function downloadToFile(client: InworldClient, uri: string, path: string, options: DownloadOptions = {}): Promise<number> {
  return withRetry(() => downloadOnce(client, uri, path, options), { maxRetries: client.maxRetries, signal: options.signal });
}

async function downloadOnce(client: InworldClient, uri: string, path: string, options: DownloadOptions): Promise<number> {
  const { body, release, controller, url } = await openSigned(client, uri, options);
  const file = await AtomicFile.create(path, { usageErrors: 'none', what: `${options.what ?? 'result'} file` });
  let bytes = 0;
  try {
    const wav = options.wavSampleRateHertz;
    const { wavHeader, WAV_HEADER_BYTES } = wav !== undefined ? await import('../../audio/wav-writer.js') : { wavHeader: undefined, WAV_HEADER_BYTES: 0 };
    let position = WAV_HEADER_BYTES;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      await file.handle.write(chunk, 0, chunk.length, position);
      position += chunk.length;
      bytes += chunk.length;
    }
    if (wav !== undefined && wavHeader) {
      const whole = bytes - (bytes % 2);
      await file.handle.write(wavHeader({ sampleRateHertz: wav, channels: 1, bitsPerSample: 16, dataBytes: whole }), 0, WAV_HEADER_BYTES, 0);
      if (whole !== bytes) await file.handle.truncate(WAV_HEADER_BYTES + whole);
    }
    await file.handle.sync();
  } catch (error) {
    await file.discard();
    if (error instanceof InworldError) throw error;
    throw mapNetworkError(error, controller.signal, url, 'signed-url');
  } finally {
    release();
  }
  await file.commit();
  return bytes;
}

/** Reads a small signed file (a batch's results file) into memory. */
export async function downloadText(client: InworldClient, uri: string, options: DownloadOptions = {}): Promise<string> {
  return withRetry(
    async () => {
      const { body, release, controller, url } = await openSigned(client, uri, options);
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > MAX_RESULTS_FILE_BYTES) throw new InworldError(`The ${options.what ?? 'results file'} is larger than ${MAX_RESULTS_FILE_BYTES} bytes.`);
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof InworldError) throw error;
        throw mapNetworkError(error, controller.signal, url, 'signed-url');
      } finally {
        release();
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    { maxRetries: client.maxRetries, signal: options.signal },
  );
}
