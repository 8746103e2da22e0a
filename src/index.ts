// The public library surface.
export { InworldClient, type ClientOptions } from './client.js';
export * from './core/errors.js';
export { resolveConnection, type ConnectionOptions, type ResolvedConnection } from './core/config.js';
export type { Logger } from './core/log.js';
export { VERSION } from './core/version.js';
