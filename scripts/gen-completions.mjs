// Rewrites completions/ from the real command tree (`npm run gen:completions`). `inworld
// completion <shell>` prints these committed files without building the tree, and
// test/cli/completion.test.ts fails when they differ from what the tree generates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../dist/cli/main.js';
import { completionScript } from '../dist/cli/setup/completion-scripts.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = { bash: 'inworld.bash', zsh: '_inworld', fish: 'inworld.fish' };
const program = await buildProgram('all');
for (const [shell, file] of Object.entries(FILES)) writeFileSync(join(root, 'completions', file), completionScript(shell, program));
