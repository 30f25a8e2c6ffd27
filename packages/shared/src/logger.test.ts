import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { routeProcessWarnings, type Logger } from './logger.js';

const warnings = suite('routeProcessWarnings');

warnings('a process warning becomes one warn line with its name and code, and Node no longer prints it', async () => {
  const lines: [Record<string, unknown>, string][] = [];
  const logger = { warn: (fields: Record<string, unknown>, message: string) => void lines.push([fields, message]) } as unknown as Logger;
  const before = process.listeners('warning').length;
  const undo = routeProcessWarnings(logger);
  try {
    assert.is(process.listeners('warning').length, 1, 'only the router listens');
    const seen = new Promise((resolve) => process.once('warning', resolve));
    process.emitWarning('the runtime goes\n  out of support\nsoon', { type: 'NodeVersionSupportWarning', code: 'AP_TEST' });
    await seen;
    assert.equal(lines, [[{ warning: 'NodeVersionSupportWarning', code: 'AP_TEST' }, 'the runtime goes out of support soon']]);
  } finally {
    undo();
  }
  assert.is(process.listeners('warning').length, before, 'undo puts Node’s printer back');
});

warnings.run();
