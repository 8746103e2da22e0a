// Which Voice API handler answers which request under /voices/v1/: the list, one voice (GET,
// PATCH, DELETE), clone, design and publish, and the long workspace form of the paths. Every one
// of them first passes the switch that hides the Voice API (404) and the key's Voices scope (403).
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND, GRPC_UNIMPLEMENTED } from '../server/grpc.js';
import type { RoutedRequest } from '../server/routes.js';
import { handleCloneVoice } from './clone.js';
import { handleDesignVoice, handlePublishVoice } from './design.js';
import { handleDeleteVoice, handleUpdateVoice } from './edit.js';
import { requireVoiceScope } from './guards.js';
import { handleGetVoice, handleListVoices } from './http.js';

export const VOICE_API_PREFIX = '/voices/v1/';
const VOICES = '/voices/v1/voices';
const CLONE = `${VOICES}:clone`;
const DESIGN = `${VOICES}:design`;
/** `/voices/v1/workspaces/{workspace}/voices[/{voice}]`, which the service still answers. */
const WORKSPACE_VOICES = /^\/voices\/v1\/workspaces\/([^/]+)\/voices(?:\/([^/]+))?$/;
const PUBLISH_SUFFIX = ':publish';

function allow(req: RoutedRequest, ...methods: string[]): void {
  if (!methods.includes(req.method)) throw new EmulatorError(GRPC_UNIMPLEMENTED, `Method ${req.method} not allowed on ${req.path}`, 405);
}

function requireJson(req: RoutedRequest): void {
  if (!req.bodyParsed) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'Invalid JSON payload received');
}

/** One voice: GET, PATCH or DELETE. */
async function oneVoice(req: RoutedRequest, voiceId: string, ctx: EmulatorContext): Promise<void> {
  allow(req, 'GET', 'PATCH', 'DELETE');
  if (req.method === 'GET') return handleGetVoice(req.response, voiceId, ctx);
  if (req.method === 'DELETE') return handleDeleteVoice(req.response, voiceId, ctx);
  requireJson(req);
  return handleUpdateVoice(req.response, voiceId, req.url, req.body, ctx);
}

/** Answers a request under /voices/v1/. */
export async function routeVoiceApi(req: RoutedRequest, ctx: EmulatorContext): Promise<void> {
  if (ctx.options.voiceApiNotFound) throw new EmulatorError(GRPC_NOT_FOUND, 'Not Found');
  requireVoiceScope(req.request, ctx.options.keysWithoutVoiceScope);
  const { path } = req;
  if (path === VOICES) {
    allow(req, 'GET');
    return handleListVoices(req.response, req.url, ctx);
  }
  if (path === CLONE || path === DESIGN) {
    allow(req, 'POST');
    requireJson(req);
    return path === CLONE ? handleCloneVoice(req.request, req.response, req.body, ctx) : handleDesignVoice(req.response, req.body, ctx);
  }
  if (path.startsWith(`${VOICES}/`) && !path.slice(VOICES.length + 1).includes('/')) {
    const tail = decodeURIComponent(path.slice(VOICES.length + 1));
    if (tail.endsWith(PUBLISH_SUFFIX)) {
      allow(req, 'POST');
      requireJson(req);
      return handlePublishVoice(req.response, tail.slice(0, -PUBLISH_SUFFIX.length), req.body, ctx);
    }
    return oneVoice(req, tail, ctx);
  }
  const workspace = WORKSPACE_VOICES.exec(path);
  if (workspace) {
    if (workspace[2] === undefined) {
      allow(req, 'GET');
      return handleListVoices(req.response, req.url, ctx);
    }
    // In the long form a custom voice is named by its part after the workspace.
    const voice = decodeURIComponent(workspace[2]);
    const id = ctx.voiceStore.find(voice) ? voice : `${decodeURIComponent(workspace[1]!)}__${voice}`;
    return oneVoice(req, id, ctx);
  }
  throw new EmulatorError(GRPC_NOT_FOUND, 'Not Found');
}
