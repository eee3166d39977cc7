import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** One JSON logger per process; parts take a child with their name (`logger.child({ part })`). */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'reportgraph'): Logger {
  return pino({
    name,
    level: config.logLevel,
    base: { pid: process.pid },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password'], censor: '***' },
  });
}
