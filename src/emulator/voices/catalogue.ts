// The emulator's built-in system voices. Names follow the public list of Inworld system voices;
// descriptions are our own words. Pitch and espeak voice only shape the emulator's placeholder
// audio so different voices sound different.
import type { EmulatorVoice, VoiceCatalogue } from './types.js';

type Row = [voiceId: string, langCode: string, gender: 'MALE' | 'FEMALE', age: EmulatorVoice['ageGroup'], description: string, tags?: string[]];

const ROWS: Row[] = [
  ['Ashley', 'EN_US', 'FEMALE', 'ADULT', 'A friendly, even-toned woman who sounds at ease in conversation', ['warm', 'conversational']],
  ['Dennis', 'EN_US', 'MALE', 'MIDDLE_AGED', 'A relaxed man with a steady, approachable delivery', ['calm', 'friendly']],
  ['Alex', 'EN_US', 'MALE', 'ADULT', 'An energetic young man with a clear, upbeat tone', ['energetic']],
  ['Craig', 'EN_GB', 'MALE', 'OLD', 'An older British man, measured and refined', ['british', 'refined']],
  ['Deborah', 'EN_US', 'FEMALE', 'ADULT', 'A soft-spoken woman with a gentle, breathy quality', ['gentle']],
  ['Edward', 'EN_US', 'MALE', 'ADULT', 'A quick, confident man suited to lively narration', ['fast', 'confident']],
  ['Elizabeth', 'EN_US', 'FEMALE', 'MIDDLE_AGED', 'A composed woman with a professional, informative style', ['professional', 'narration']],
  ['Julia', 'EN_US', 'FEMALE', 'YOUNG', 'A bright, quick-witted young woman', ['bright', 'playful']],
  ['Mark', 'EN_US', 'MALE', 'ADULT', 'A plain-spoken man with an easy, natural pace', ['natural']],
  ['Olivia', 'EN_GB', 'FEMALE', 'ADULT', 'A poised British woman with a cheerful lilt', ['british', 'cheerful']],
  ['Priya', 'EN_IN', 'FEMALE', 'ADULT', 'A warm woman with an Indian English accent', ['indian-english', 'warm']],
  ['Ronald', 'EN_US', 'MALE', 'OLD', 'A deep, weathered voice of an older storyteller', ['deep', 'storytelling']],
  ['Sarah', 'EN_US', 'FEMALE', 'ADULT', 'A fast-talking woman with a touch of curiosity', ['fast', 'curious']],
  ['Timothy', 'EN_US', 'MALE', 'YOUNG', 'A lively young man, eager and upbeat', ['young', 'upbeat']],
  ['Wendy', 'EN_GB', 'FEMALE', 'OLD', 'An elderly British woman, kind and unhurried', ['british', 'elderly']],
  ['Hades', 'EN_US', 'MALE', 'ADULT', 'A commanding, gravelly voice for villains and narrators', ['dramatic', 'deep']],
  ['Theodore', 'EN_US', 'MALE', 'OLD', 'A gravelly older man who speaks slowly and deliberately', ['gravelly', 'slow']],
  ['Dominus', 'EN_US', 'MALE', 'ADULT', 'A dark, resonant voice with an imposing presence', ['dramatic', 'resonant']],
  ['Pixie', 'EN_US', 'FEMALE', 'YOUNG', 'A high, sparkly voice for playful characters', ['character', 'playful']],
  ['Hana', 'JA_JP', 'FEMALE', 'YOUNG', 'A bright young Japanese woman with a clear delivery'],
  ['Asuka', 'JA_JP', 'FEMALE', 'ADULT', 'A calm Japanese woman with a friendly tone'],
  ['Yichen', 'ZH_CN', 'MALE', 'ADULT', 'A calm Mandarin-speaking man with a neutral accent'],
  ['Xiaoyin', 'ZH_CN', 'FEMALE', 'YOUNG', 'A gentle young Mandarin-speaking woman'],
  ['Diego', 'ES_ES', 'MALE', 'ADULT', 'A warm Spanish-speaking man, relaxed and clear'],
  ['Lupita', 'ES_ES', 'FEMALE', 'YOUNG', 'A vivacious young Spanish-speaking woman'],
  ['Mathieu', 'FR_FR', 'MALE', 'ADULT', 'A smooth French man with a thoughtful pace'],
  ['Alain', 'FR_FR', 'MALE', 'MIDDLE_AGED', 'A deep-voiced French narrator'],
  ['Johanna', 'DE_DE', 'FEMALE', 'ADULT', 'A clear, friendly German woman'],
  ['Gianni', 'IT_IT', 'MALE', 'ADULT', 'An expressive Italian man with a warm timbre'],
  ['Minji', 'KO_KR', 'FEMALE', 'YOUNG', 'A cheerful young Korean woman'],
  ['Heitor', 'PT_BR', 'MALE', 'ADULT', 'A relaxed Brazilian Portuguese speaker'],
  ['Svetlana', 'RU_RU', 'FEMALE', 'ADULT', 'A composed Russian woman with a crisp delivery'],
  // Appended rather than sorted in, so the voices above keep their pitch offsets (and their audio).
  ['Jason', 'EN_US', 'MALE', 'ADULT', 'A clear, personable man with an even conversational pace', ['conversational', 'clear']],
];

/** espeak-ng voice per language (the base voice; a variant sets the gender). */
const ESPEAK_LANGUAGE: Record<string, string> = {
  EN_US: 'en-us', EN_GB: 'en-gb', EN_IN: 'en-us', JA_JP: 'ja', ZH_CN: 'cmn', ES_ES: 'es', FR_FR: 'fr-fr',
  DE_DE: 'de', IT_IT: 'it', KO_KR: 'ko', PT_BR: 'pt-br', RU_RU: 'ru',
};

const PITCH_BY_GENDER_AGE_HZ: Record<string, number> = {
  'FEMALE:YOUNG': 235, 'FEMALE:ADULT': 210, 'FEMALE:MIDDLE_AGED': 195, 'FEMALE:OLD': 185,
  'MALE:YOUNG': 135, 'MALE:ADULT': 118, 'MALE:MIDDLE_AGED': 110, 'MALE:OLD': 100,
};

/** The placeholder engine's base pitch for a kind of voice (150 Hz when gender or age is unknown). */
export function basePitchHz(gender: string, ageGroup: string): number {
  return PITCH_BY_GENDER_AGE_HZ[`${gender}:${ageGroup}`] ?? 150;
}

/** The espeak-ng voice for a Voice API langCode and gender (English when espeak has no voice for it). */
export function espeakVoiceFor(langCode: string, gender: string): string {
  return `${ESPEAK_LANGUAGE[langCode] ?? ESPEAK_LANGUAGE[`${langCode.split('_')[0]}_${langCode.split('_')[0]}`] ?? 'en-us'}+${gender === 'FEMALE' ? 'f3' : 'm3'}`;
}

function toVoice([voiceId, langCode, gender, ageGroup, description, tags]: Row, index: number): EmulatorVoice {
  const [language = 'en', region = 'US'] = langCode.split('_');
  // Small per-voice offsets keep same-gender voices apart.
  const pitchHz = basePitchHz(gender, ageGroup) + ((index * 7) % 21) - 10;
  return {
    voiceId,
    displayName: voiceId,
    description,
    langCode,
    promptLanguages: [`${language.toLowerCase()}-${region}`],
    gender,
    ageGroup,
    tags: tags ?? [],
    categories: [],
    source: 'SYSTEM',
    pitchHz,
    espeakVoice: espeakVoiceFor(langCode, gender),
  };
}

export const SYSTEM_VOICES: readonly EmulatorVoice[] = ROWS.map(toVoice);

export function createVoiceCatalogue(voices: readonly EmulatorVoice[] = SYSTEM_VOICES): VoiceCatalogue {
  const byId = new Map(voices.map((voice) => [voice.voiceId, voice]));
  return {
    list: () => voices,
    find: (voiceId) => byId.get(voiceId),
  };
}

/** The ISO 639-1 base code of a Voice API langCode: `EN_US` → `en`. */
export function baseLanguage(langCode: string): string {
  return (langCode.split('_')[0] ?? langCode).toLowerCase();
}
