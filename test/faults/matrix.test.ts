// The fault matrix (issue 5, part 1): every command against every fault, through the built CLI.
// Needs `npm run build` first. UPDATE_FAULT_MATRIX=1 also rewrites docs/fault-matrix.md.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMMANDS, ROWS } from './matrix-cases.js';
import { matrixTable, summary, writeDoc } from './matrix-report.js';
import { recordFigures } from './figures.js';
import { makeReferences, runCell, type Outcome, type References } from './matrix-runner.js';

const outcomes: Outcome[] = [];
let refs: References;

before(async () => {
  refs = await makeReferences();
});

after(() => {
  if (outcomes.length === 0) return;
  const s = summary(outcomes);
  const table = matrixTable(outcomes, { withTimes: true });
  console.log(`\nFault matrix: ${s.tried} faults tried, ${s.passed} passed, ${s.known} known bugs, ${s.failed} failed\n${table}\n`);
  const leaks = outcomes.filter((o) => o.leaked).length;
  console.log(`API key searched for in ${outcomes.length} runs' stdout+stderr: ${leaks} leaks`);
  recordFigures('matrix', {
    'faults tried (fault × command)': s.tried,
    'faults passed': s.passed,
    'faults known bugs (todo)': s.known,
    'faults failed': s.failed,
    'runs searched for the key (matrix)': outcomes.length,
    'key leaks': leaks,
  });
  if (process.env.UPDATE_FAULT_MATRIX === '1' && outcomes.length === ROWS.reduce((n, row) => n + Object.keys(row.cells).length, 0)) {
    writeDoc(outcomes);
  }
});

describe('fault matrix', { concurrency: 6 }, () => {
  for (const row of ROWS) {
    for (const command of COMMANDS) {
      const cell = row.cells[command];
      if (!cell) continue;
      test(`${row.fault} × ${command}`, { todo: cell.todo, timeout: 40_000 }, async () => {
        const outcome = await runCell(row, command, cell, refs);
        outcomes.push(outcome);
        assert.deepEqual(outcome.failures, [], `${row.fault} × ${command}:\n${outcome.run.stderr}`);
      });
    }
  }
});
