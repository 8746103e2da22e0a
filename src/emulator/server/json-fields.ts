// Reads request JSON the way the service's protobuf-JSON parsing does: each field under its
// lowerCamelCase or snake_case name, null means "not set", numbers may arrive as numeric strings,
// unknown enum names fall back to the server default, and a value of the wrong JSON type is an
// INVALID_ARGUMENT error naming the field.
import { invalidArgument } from './grpc.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The field's value under its camelCase or snake_case name (camelCase wins when both are set). */
export function getField(obj: JsonObject, camelName: string): unknown {
  const camel = obj[camelName];
  if (camel !== undefined && camel !== null) return camel;
  const snake = obj[snakeCase(camelName)];
  return snake === null ? undefined : snake;
}

function fieldPath(prefix: string, camelName: string): string {
  const name = snakeCase(camelName);
  return prefix ? `${prefix}.${name}` : name;
}

function typeError(prefix: string, camelName: string, protoType: string, value: unknown): Error {
  return invalidArgument(`Invalid value at '${fieldPath(prefix, camelName)}' (${protoType}), ${JSON.stringify(value)}`);
}

export function readString(obj: JsonObject, name: string, prefix = ''): string | undefined {
  const value = getField(obj, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw typeError(prefix, name, 'TYPE_STRING', value);
  return value;
}

export function readNumber(obj: JsonObject, name: string, prefix = '', protoType = 'TYPE_FLOAT'): number | undefined {
  const value = getField(obj, name);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw typeError(prefix, name, protoType, value);
}

export function readInteger(obj: JsonObject, name: string, prefix = ''): number | undefined {
  const value = readNumber(obj, name, prefix, 'TYPE_INT32');
  if (value !== undefined && !Number.isInteger(value)) throw typeError(prefix, name, 'TYPE_INT32', getField(obj, name));
  return value;
}

export function readBoolean(obj: JsonObject, name: string, prefix = ''): boolean | undefined {
  const value = getField(obj, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeError(prefix, name, 'TYPE_BOOL', value);
  return value;
}

export function readObject(obj: JsonObject, name: string, prefix = ''): JsonObject | undefined {
  const value = getField(obj, name);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw typeError(prefix, name, 'TYPE_MESSAGE', value);
  return value;
}

/**
 * An enum by name. Unknown names and numeric values come back undefined (the server default),
 * as the service ignores invalid enum values; booleans, objects and arrays are type errors.
 */
export function readEnum<T extends string>(obj: JsonObject, name: string, allowed: readonly T[], prefix = ''): T | undefined {
  const value = getField(obj, name);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return undefined;
  if (typeof value !== 'string') throw typeError(prefix, name, 'TYPE_ENUM', value);
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}
