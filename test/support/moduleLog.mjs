// Test support: `node --import ./test/support/moduleLog.mjs` appends to $MODULE_LOG the URL of
// every ES module it loads whose URL matches $MODULE_LOG_MATCH (a regular expression). Register
// it after tsx's hooks (`--import tsx --import ...`): it then sees the URLs tsx resolves.
import { register } from 'node:module';

if (process.env.MODULE_LOG) register('./moduleLogHooks.mjs', import.meta.url);
