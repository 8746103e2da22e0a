// The editable fields of a voice as requests carry them (clone, publish, PATCH): display name,
// description and tags, read with the service's JSON rules (camelCase or snake_case, types checked).
import { invalidArgument } from '../server/grpc.js';
import { getField, readString, type JsonObject } from '../server/json-fields.js';

export const MAX_DISPLAY_NAME_CHARS = 100;

/** A display name that must be there and not be blank. */
export function requireDisplayName(body: JsonObject): string {
  const name = readDisplayName(body);
  if (name === undefined) throw invalidArgument('display_name is required');
  return name;
}

/** The display name when given (blank or over-long is an error). */
export function readDisplayName(body: JsonObject): string | undefined {
  const name = readString(body, 'displayName');
  if (name === undefined) return undefined;
  if (name.trim() === '') throw invalidArgument('display_name must not be empty');
  if ([...name].length > MAX_DISPLAY_NAME_CHARS) throw invalidArgument(`display_name is longer than ${MAX_DISPLAY_NAME_CHARS} characters`);
  return name.trim();
}

/** Tags: an array of strings (absent: none). */
export function readTags(body: JsonObject): string[] {
  const tags = getField(body, 'tags');
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw invalidArgument(`Invalid value at 'tags' (TYPE_STRING), ${JSON.stringify(tags)}`);
  }
  return tags.filter((tag) => tag.trim() !== '');
}
