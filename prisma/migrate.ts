// `npm run db:migrate`: applies the committed migrations to DATABASE_URL (creating the database
// when it does not exist yet).
import { loadConfig } from '../lib/config.js';
import { ensurePostgres } from '../lib/db/connectivity.js';
import { migrate } from '../lib/db/migrate.js';

const config = loadConfig();
await ensurePostgres(config.databaseUrl);
const applied = await migrate(config.databaseUrl);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
