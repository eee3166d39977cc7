// Trusted documents from Apollo persisted-query manifests (`persisted-query-manifest.json`), loaded
// once at start: the web app's generated manifest by default, or the files TRUSTED_DOCUMENTS names.
// Each id must be the sha256 of its body — the same rule as ADMIN-registered documents — so an id
// always names exactly one text, whichever list it came from; a manifest that breaks it stops the
// gateway at start instead of running a document other than the one its id promises.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { getOperationAST, parse } from 'graphql';
import { z } from 'zod';
import type { Config } from '../../lib/config.js';
import { StartupError } from '../../lib/startup.js';
import type { PersistedDocument } from './persistedOperations.js';

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lowercase hex'),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export type PersistedQueryManifest = z.infer<typeof manifestSchema>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Checks one manifest's shape and every operation's id, name and type against its body. */
export function readManifest(file: string, text: string): PersistedDocument[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StartupError(`trusted documents ${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StartupError(`trusted documents ${file}: not an Apollo persisted-query manifest (${issue.path.join('.')}: ${issue.message})`);
  }
  return parsed.data.operations.map((op) => {
    const actual = sha256(op.body);
    if (actual !== op.id) {
      throw new StartupError(`trusted documents ${file}: operation ${op.name} has id ${op.id} but its body hashes to ${actual}`);
    }
    const operation = getOperationAST(parse(op.body));
    if (operation?.name?.value !== op.name || operation.operation !== op.type) {
      throw new StartupError(`trusted documents ${file}: operation ${op.id} is not the ${op.type} ${op.name} its body holds`);
    }
    return { id: op.id, name: op.name, document: op.body };
  });
}

/** Every trusted document of the configured manifests, by id. */
export function loadTrustedDocuments({ paths, skipMissing }: Config['trustedDocuments']): Map<string, PersistedDocument> {
  const documents = new Map<string, PersistedDocument>();
  for (const file of paths) {
    if (!existsSync(file)) {
      if (skipMissing) continue;
      throw new StartupError(`trusted documents ${file}: no such file (TRUSTED_DOCUMENTS)`);
    }
    for (const doc of readManifest(file, readFileSync(file, 'utf8'))) documents.set(doc.id, doc);
  }
  return documents;
}
