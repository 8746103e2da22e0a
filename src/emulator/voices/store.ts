// The emulator's voices: the built-in system catalogue plus what clients create at run time
// (cloned voices, published designs), and the design previews that have not been published yet.
// It is the VoiceCatalogue the TTS endpoints check voice ids against, so a new voice can be
// spoken at once. Previews are not voices: synthesis and the list do not know them, only the
// speech engine does (to render the previews' audio) through previewAwareCatalogue().
import { SYSTEM_VOICES } from './catalogue.js';
import type { EmulatorVoice, VoiceCatalogue } from './types.js';

/** A designed voice waiting to be published. */
export interface VoicePreview {
  voice: EmulatorVoice;
  previewText: string;
  expiresAtMs: number;
}

export class VoiceStore implements VoiceCatalogue {
  private readonly system: ReadonlyMap<string, EmulatorVoice>;
  private readonly custom = new Map<string, EmulatorVoice>();
  private readonly previews = new Map<string, VoicePreview>();
  private readonly now: () => number;

  constructor(systemVoices: readonly EmulatorVoice[] = SYSTEM_VOICES, now: () => number = Date.now) {
    this.system = new Map(systemVoices.map((voice) => [voice.voiceId, voice]));
    this.now = now;
  }

  list(): readonly EmulatorVoice[] {
    return [...this.system.values(), ...this.custom.values()];
  }

  find(voiceId: string): EmulatorVoice | undefined {
    return this.system.get(voiceId) ?? this.custom.get(voiceId);
  }

  isSystem(voiceId: string): boolean {
    return this.system.has(voiceId);
  }

  /** True when the id is taken by a voice or a live preview. */
  taken(voiceId: string): boolean {
    return this.find(voiceId) !== undefined || this.preview(voiceId) !== undefined;
  }

  addCustom(voice: EmulatorVoice): void {
    this.custom.set(voice.voiceId, voice);
  }

  /** Replaces a custom voice's fields; undefined when it is not a custom voice. */
  updateCustom(voiceId: string, change: Partial<Pick<EmulatorVoice, 'displayName' | 'description' | 'tags'>>): EmulatorVoice | undefined {
    const voice = this.custom.get(voiceId);
    if (!voice) return undefined;
    const updated = { ...voice, ...change };
    this.custom.set(voiceId, updated);
    return updated;
  }

  removeCustom(voiceId: string): boolean {
    return this.custom.delete(voiceId);
  }

  addPreview(preview: VoicePreview): void {
    this.prune();
    this.previews.set(preview.voice.voiceId, preview);
  }

  /** A live preview (expired ones are forgotten here). */
  preview(voiceId: string): VoicePreview | undefined {
    this.prune();
    return this.previews.get(voiceId);
  }

  /** Turns a preview into a custom voice; undefined when there is no live preview by that id. */
  publish(voiceId: string, fields: Pick<EmulatorVoice, 'displayName' | 'description' | 'tags'>): EmulatorVoice | undefined {
    const preview = this.preview(voiceId);
    if (!preview) return undefined;
    this.previews.delete(voiceId);
    const voice = { ...preview.voice, ...fields };
    this.custom.set(voiceId, voice);
    return voice;
  }

  /** The catalogue the speech engine renders with: voices and live previews. */
  previewAwareCatalogue(): VoiceCatalogue {
    return {
      list: () => this.list(),
      find: (voiceId) => this.find(voiceId) ?? this.previews.get(voiceId)?.voice,
    };
  }

  private prune(): void {
    const now = this.now();
    for (const [id, preview] of this.previews) if (preview.expiresAtMs <= now) this.previews.delete(id);
  }
}
