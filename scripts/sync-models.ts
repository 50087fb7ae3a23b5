/**
 * Refreshes src/protocol/models/data/*.json from botocore's service-2.json files.
 *
 * The AWS service models are data owned by AWS; we take them from botocore (the Python SDK's
 * data package) rather than typing shapes by hand. Documentation strings are dropped to keep the
 * checked-in copies small; everything the wire layer needs (shapes, constraints, enums, patterns,
 * XML names, timestamp formats, error traits) is kept verbatim.
 *
 * Usage: npm run sync-models [-- /path/to/botocore]   (default: the botocore `python3` imports)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_MODELS } from '../src/protocol/models/services.ts';


function botocoreDir(): string {
  const arg = process.argv[2];
  if (arg) return arg;
  return execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'documentation' || k === 'documentationUrl' || k === 'examples') continue;
      out[k] = strip(x);
    }
    return out;
  }
  return v;
}

const root = botocoreDir();
const version = execFileSync('python3', ['-c', 'import botocore;print(botocore.__version__)'], { encoding: 'utf8' }).trim();
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'protocol', 'models', 'data');
mkdirSync(outDir, { recursive: true });
for (const [name, rel] of Object.entries(SERVICE_MODELS)) {
  const base = join(root, 'data', rel, 'service-2.json');
  const raw = existsSync(base) ? readFileSync(base) : gunzipSync(readFileSync(base + '.gz'));
  const model = strip(JSON.parse(raw.toString('utf8'))) as Record<string, unknown>;
  model['x-osprey-source'] = `botocore ${version} data/${rel}/service-2.json`;
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(model) + '\n');
  console.log(`${name}: ${Object.keys(model.operations as object).length} operations`);
}
