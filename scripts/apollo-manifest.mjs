// Turns the client preset's persisted documents (`{ "sha256:<hex>": body }`) into an Apollo
// persisted-query manifest — the format the gateway loads as trusted documents (TRUSTED_DOCUMENTS)
// and Apollo's tooling reads: `{ format, version, operations: [{ id, name, type, body }] }`, the id
// being the sha256 of the body. Run by codegen.yml's hook after the web app's files are written.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOperationAST, parse } from 'graphql';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/src/__generated__');
const documentsFile = path.join(dir, 'persisted-documents.json');
const documents = JSON.parse(readFileSync(documentsFile, 'utf8'));

const operations = Object.entries(documents)
  .map(([hash, body]) => {
    const operation = getOperationAST(parse(body));
    if (!operation?.name) throw new Error(`every web operation needs a name: ${body.slice(0, 80)}`);
    return { id: hash.replace(/^sha256:/, ''), name: operation.name.value, type: operation.operation, body };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
const names = new Set(operations.map((o) => o.name));
if (names.size !== operations.length) throw new Error('two web operations share a name');

writeFileSync(
  path.join(dir, 'persisted-query-manifest.json'),
  `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`,
);
// One list of the app's documents: the manifest.
rmSync(documentsFile);
