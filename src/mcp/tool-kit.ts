// What every tool shares: the context it runs in, the shape a tool is defined with, and the one
// place a call becomes an MCP result: success as JSON (text for any client, structured content
// for those that read it), failure as a tool error (`isError: true`) with one line naming the
// problem and the fix. Nothing a tool throws reaches the transport, and the API key is taken out
// of every message.
import type { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pathToFileURL } from 'node:url';
import { InworldError } from '../core/errors.js';
import { redact } from '../core/log.js';
import type { Inworld } from '../inworld.js';
import type { FileSandbox } from './sandbox.js';
import type { CallUsage, UsageLedger } from './usage.js';
import { monotonicMs } from '../core/monotonic-clock.js';

/** The zod namespace, passed in because the SDK and zod are loaded only when the server starts. */
export type Zod = typeof z;

export interface ToolContext {
  inworld: Inworld;
  files: FileSandbox;
  usage: UsageLedger;
  /** A line for the server's log (standard error, never standard output). */
  log(line: string): void;
  /** Strings no result or error may contain (the API key). */
  secrets: readonly string[];
  /** Environment for audio players (`play: true`). */
  env: NodeJS.ProcessEnv;
}

/** What a tool's run returns: the result object, what it used, and any extra content blocks. */
export interface ToolOutput {
  result: Record<string, unknown>;
  usage?: CallUsage;
  /** A sentence before the JSON, for clients that show text only. */
  summary?: string;
  links?: Array<{ path: string; mimeType: string }>;
}

export interface ToolDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  run(args: z.output<S>, signal: AbortSignal): Promise<ToolOutput>;
}

/** Keeps the argument type of `run` tied to the schema. */
export function defineTool<S extends z.ZodType>(definition: ToolDefinition<S>): ToolDefinition<S> {
  return definition;
}

/** The library speaks in CLI flags in a few messages; a tool's caller knows argument names. */
const FLAG_ARGUMENTS: Record<string, string> = {
  '--sample-rate': 'sample_rate',
  '--bit-rate': 'bit_rate',
  '--speaking-rate': 'speaking_rate',
  '--temperature': 'temperature',
  '--encoding': 'format',
  '--model': 'model',
  '--voice': 'voice',
  '--language': 'language',
  '--delivery-mode': 'delivery_mode',
  '--seed': 'seed',
  '--voice-design': 'voice_design',
  '--timestamps': 'timestamps',
  '--pronunciation-dict': 'pronunciation_dictionaries',
};

/** One line: the message, then what to do, in argument names, secrets removed. */
export function errorLine(error: unknown, secrets: readonly string[]): string {
  let line: string;
  if (error instanceof InworldError) {
    line = error.hint ? `${error.message.replace(/(?<!\.)\.$/, '')}. ${error.hint}` : error.message;
  } else if (error instanceof Error) {
    line = error.message;
  } else {
    line = String(error);
  }
  line = line.replace(/--[a-z][a-z-]*/g, (flag) => (FLAG_ARGUMENTS[flag] ? `the ${FLAG_ARGUMENTS[flag]} argument` : flag));
  return redact(line.replace(/\s*\n\s*/g, ' '), secrets);
}

export function mimeTypeOf(extension: string): string {
  const types: Record<string, string> = {
    '.wav': 'audio/wav',
    '.mp3': 'audio/mpeg',
    '.ogg': 'audio/ogg',
    '.opus': 'audio/ogg',
    '.flac': 'audio/flac',
    '.pcm': 'audio/L16',
    '.raw': 'audio/L16',
    '.ulaw': 'audio/basic',
    '.mulaw': 'audio/basic',
    '.alaw': 'audio/x-alaw-basic',
  };
  return types[extension] ?? 'application/octet-stream';
}

/** Runs a tool call to its MCP result, recording its usage; never throws. */
export async function runTool<S extends z.ZodType>(tool: ToolDefinition<S>, args: z.output<S>, signal: AbortSignal, context: ToolContext): Promise<CallToolResult> {
  const at = new Date().toISOString();
  const started = monotonicMs();
  try {
    const output = await tool.run(args, signal);
    const ms = Math.round(monotonicMs() - started);
    context.usage.record({ tool: tool.name, at, ms, ok: true, ...output.usage });
    context.log(`${tool.name}: ok in ${ms} ms`);
    const json = redact(JSON.stringify(output.result, null, 2), context.secrets);
    const links = (output.links ?? []).map((link) => ({
      type: 'resource_link' as const,
      uri: pathToFileURL(link.path).href,
      name: link.path.split('/').at(-1)!,
      mimeType: link.mimeType,
    }));
    return {
      content: [{ type: 'text', text: output.summary ? `${output.summary}\n${json}` : json }, ...links],
      structuredContent: JSON.parse(json) as Record<string, unknown>,
    };
  } catch (error) {
    const ms = Math.round(monotonicMs() - started);
    const message = errorLine(error, context.secrets);
    context.usage.record({ tool: tool.name, at, ms, ok: false, error: message });
    context.log(`${tool.name}: failed in ${ms} ms: ${message}`);
    return { content: [{ type: 'text', text: message }], isError: true };
  }
}
