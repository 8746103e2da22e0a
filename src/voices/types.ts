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
