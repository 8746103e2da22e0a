// The package version, read once from package.json (two levels up from both src/core and dist/core).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** This package's version (the `X-User-Agent` header carries it). */
export const VERSION: string = (require('../../package.json') as { version: string }).version;
export const USER_AGENT = `inworld-cli/${VERSION}`;
