// The shape of a voice in the emulator's catalogue (the Voice API's fields) and the
// lookup the TTS endpoints use to decide whether a voiceId exists.

export interface EmulatorVoice {
  /** Case-sensitive id used in synthesis requests, e.g. `Ashley`. */
  voiceId: string;
  displayName: string;
  description: string;
  /** Voice API language code, upper snake case: `EN_US`, `JA_JP`. */
  langCode: string;
  /** BCP-47 prompt languages, e.g. `en-US`. */
  promptLanguages: string[];
  gender: 'MALE' | 'FEMALE' | '';
  ageGroup: 'YOUNG' | 'ADULT' | 'MIDDLE_AGED' | 'OLD' | '';
  tags: string[];
  categories: string[];
  source: 'SYSTEM' | 'IVC';
  /** Base pitch of the synthetic engine for this voice, Hz. */
  pitchHz: number;
  /** espeak-ng voice name used when espeak renders this voice. */
  espeakVoice: string;
}

export interface VoiceCatalogue {
  list(): readonly EmulatorVoice[];
  /** Exact, case-sensitive lookup: the service treats voice ids as case-sensitive. */
  find(voiceId: string): EmulatorVoice | undefined;
}
