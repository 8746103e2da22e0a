// The TTS WebSocket's own fault actions, expressed as `custom` fault rules (faults/rules.ts) so they are
// added like any other rule: in process, over `/_emulator/faults`, or as spec strings.
// Settings are the action's `params` (a spec string such as
// `action=custom,name=tts-status,code=13,message=boom,after-chunks=1` puts them there too).
//
//   name                  what happens (on the connection whose handshake matched the rule)
//   tts-drop              destroy the TCP socket (no close frame) when a context has sent `afterChunks` audio chunks
//   tts-stall             stop sending for `ms` (forever when absent) once a context has sent `afterChunks` chunks
//   tts-status            answer a status error (`code`, default 13; `message`) for a context after `afterChunks` chunks, and drop that context
//   tts-no-context-closed never send `contextClosed` for the matching context(s)
//   tts-latency           add `ms` before every generation's first audio
//   tts-empty-flush       also send `flushCompleted` for a flush of an empty buffer
//   tts-idle              close idle connections after `ms` with "Paused due to inactivity" (default 10 min)
// Context selection (optional, all params): `context` (an id), `contextIndex` (0-based order of
// `create` on the connection). Without either, every context matches.
import type { FaultAction, WsFaultAction } from '../faults/rules.js';

export const TTS_WS_FAULT_NAMES = [
  'tts-drop',
  'tts-stall',
  'tts-status',
  'tts-no-context-closed',
  'tts-latency',
  'tts-empty-flush',
  'tts-idle',
] as const;
export type TtsWsFaultName = (typeof TTS_WS_FAULT_NAMES)[number];

export interface TtsWsFault {
  name: TtsWsFaultName;
  context?: string;
  contextIndex?: number;
  afterChunks: number;
  ms?: number;
  code?: number;
  message?: string;
}

/** The generic WS actions this endpoint also honours (faults/rules.ts `WsFaultAction`). */
export type GenericWsFault = Exclude<WsFaultAction, { type: 'custom' }>;

export function ttsWsFaults(actions: readonly FaultAction[]): { custom: TtsWsFault[]; generic: GenericWsFault[] } {
  const custom: TtsWsFault[] = [];
  const generic: GenericWsFault[] = [];
  for (const action of actions) {
    if (action.type === 'custom') {
      if (!(TTS_WS_FAULT_NAMES as readonly string[]).includes(action.name)) continue;
      const settings = action.params ?? {};
      custom.push({
        name: action.name as TtsWsFaultName,
        context: typeof settings.context === 'string' ? settings.context : undefined,
        contextIndex: typeof settings.contextIndex === 'number' ? settings.contextIndex : undefined,
        afterChunks: typeof settings.afterChunks === 'number' ? settings.afterChunks : 0,
        ms: typeof settings.ms === 'number' ? settings.ms : undefined,
        code: typeof settings.code === 'number' ? settings.code : undefined,
        message: typeof settings.message === 'string' ? settings.message : undefined,
      });
    } else if (action.type === 'ws-close' || action.type === 'ws-error' || action.type === 'ws-drop' || action.type === 'ws-reorder-close') {
      generic.push(action);
    }
  }
  return { custom, generic };
}

export function faultMatchesContext(fault: TtsWsFault, contextId: string, index: number): boolean {
  if (fault.context !== undefined && fault.context !== contextId) return false;
  if (fault.contextIndex !== undefined && fault.contextIndex !== index) return false;
  return true;
}
