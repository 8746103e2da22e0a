// The MCP server: one McpServer (the official SDK) with the Inworld tools, built per client
// connection (stdio has one; each HTTP session has its own) over one shared Inworld client,
// output directory and usage ledger. The SDK and zod are loaded here, when a server starts, never
// at the CLI's start-up.
import { VERSION } from '../core/version.js';
import { runTool, type ToolContext, type ToolDefinition, type Zod } from './tool-kit.js';
import { speakTool } from './tools/speak.js';
import { transcribeTool } from './tools/transcribe.js';
import { listVoicesTool } from './tools/list-voices.js';
import { cloneVoiceTool, designVoiceTool, publishVoiceTool } from './tools/voice-create.js';
import { getUsageTool } from './tools/get-usage.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** The tools, in the order a client lists them. */
export const TOOL_NAMES = ['speak', 'transcribe', 'list_voices', 'design_voice', 'publish_voice', 'clone_voice', 'get_usage'] as const;

function tools(z: Zod, context: ToolContext): ToolDefinition[] {
  return [
    speakTool(z, context),
    transcribeTool(z, context),
    listVoicesTool(z, context),
    designVoiceTool(z, context),
    publishVoiceTool(z, context),
    cloneVoiceTool(z, context),
    getUsageTool(z, context),
  ] as unknown as ToolDefinition[];
}

function instructions(context: ToolContext): string {
  return [
    'Inworld text-to-speech and speech-to-text.',
    `speak writes audio files into ${context.files.outDir} and returns their paths; transcribe reads files from there${context.files.readableDirs.length > 1 ? ` or from ${context.files.readableDirs.slice(1).join(', ')}` : ''}.`,
    'list_voices gives voice ids for speak; design_voice + publish_voice and clone_voice create voices (each call creates a new one).',
  ].join(' ');
}

/** A new McpServer with every tool registered, for one client connection. */
export async function createMcpServer(context: ToolContext): Promise<McpServer> {
  const [{ McpServer }, { z }] = await Promise.all([import('@modelcontextprotocol/sdk/server/mcp.js'), import('zod')]);
  const server = new McpServer({ name: 'inworld', title: 'Inworld TTS and STT', version: VERSION }, { instructions: instructions(context) });
  for (const tool of tools(z, context)) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations },
      // The SDK has checked the arguments against the schema; runTool turns any failure into a tool error.
      (args: unknown, extra: { signal: AbortSignal }) => runTool(tool, args, extra.signal, context),
    );
  }
  return server;
}
