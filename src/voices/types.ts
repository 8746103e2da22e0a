// One Voice shape for both voice endpoints: the Voice API (`/voices/v1/voices`) and the legacy
// TTS list (`/tts/v1/voices`). Fields a source does not provide are absent (never guessed).

/** A voice from the catalogue, normalised from whichever endpoint answered. */
export interface Voice {
  /** The id to synthesize with (`voiceId` on the wire): a plain name, or `{workspace}__{voice}` for custom voices. */
  id: string;
  displayName: string;
  /** BCP-47 codes (`en-US`) from the Voice API, or ISO 639-1 base codes (`en`) from the legacy list. */
  languages: string[];
  description?: string;
  /** Upper case as sent (`FEMALE`, `MALE`); absent when the server left it empty. */
  gender?: string;
  /** `YOUNG`, `ADULT`, `MIDDLE_AGED`, `OLD`; absent when unknown. */
  ageGroup?: string;
  /** `SYSTEM`, `IVC`, `PVC`… (Voice API); the legacy list only says custom or not. */
  source?: string;
  /** True for voices cloned or designed in the caller's workspace. */
  isCustom: boolean;
  tags: string[];
  categories?: string[];
  /** Resource name, `workspaces/{ws}/voices/{voice}` (Voice API only). */
  name?: string;
  /** Which endpoint the voice came from. */
  origin: 'voice-api' | 'legacy';
}

/** Per-call settings every voice call takes. */
export interface VoiceCallOptions {
  /** Aborts the call; an aborted call rejects with UserAbortError. */
  signal?: AbortSignal;
  /** Deadline for the answer's first byte, in ms (defaults differ per call: a clone may take minutes). */
  timeoutMs?: number;
  /** Retries for retryable failures; clone, design and publish are never retried once sent. */
  maxRetries?: number;
}

/** The editable fields of a custom voice (`voices.update`, `voices.publish`). */
export interface VoiceEdit {
  displayName?: string;
  description?: string;
  tags?: string[];
}

/** One recording to clone a voice from. */
export interface CloneSample {
  /** The file's bytes: WAV or MP3, 3 to 15 seconds, at most 4 MB. */
  audio: Uint8Array;
  /** What is said in it; helps the service, optional. */
  transcription?: string;
}

/** What `voices.clone` sends. */
export interface CloneRequest {
  displayName: string;
  /** The samples' language: `en-US`, `en_US`, `EN_US` or a base code such as `en`. Default `EN_US`. */
  langCode?: string;
  samples: CloneSample[];
  description?: string;
  tags?: string[];
  /** Ask the service to clean background noise from the samples first. */
  removeBackgroundNoise?: boolean;
}

/** The service's verdict on one clone sample, in the order the samples were sent. */
export interface SampleValidation {
  langCode?: string;
  warnings: string[];
  errors: string[];
  /** The transcription the service used (the one sent, or its own). */
  transcription?: string;
}

/** What `voices.clone` returns. */
export interface CloneResult {
  voice: Voice;
  samples: SampleValidation[];
}

/** What `voices.design` sends. */
export interface DesignRequest {
  /** The voice in words (gender, age, accent, pitch, pace, tone, timbre); 1 to 1000 characters here, the service may ask for more. */
  designPrompt: string;
  /** What the previews say. */
  previewText: string;
  /** Language of the voice; omitted, the service decides. */
  langCode?: string;
  /** How many previews, 1 to 3. Default 1. */
  numberOfSamples?: number;
}

/** One designed voice, not yet saved: publish it to keep it. */
export interface VoicePreview {
  /** The id to publish (previews expire unless published). */
  id: string;
  previewText?: string;
  /** The preview's audio as the service sent it (WAV or MP3 bytes). */
  audio: Buffer;
}

/** What `voices.design` returns. */
export interface DesignResult {
  langCode?: string;
  previews: VoicePreview[];
}
