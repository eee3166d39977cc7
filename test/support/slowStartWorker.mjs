// An inference worker that takes a while to start, as ONNX Runtime's addon does on a loaded host:
// it serves (and so says it is ready) after SLOW_START_MS, then leaves a mark in SLOW_START_MARK,
// so a test can tell whether the pool waited for it before terminating it.
import { writeFileSync } from 'node:fs';
import { serve } from '../../models/runtime/protocol.mjs';

await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_START_MS ?? 300)));
serve({}, (t) => t);
writeFileSync(process.env.SLOW_START_MARK, 'ready');
