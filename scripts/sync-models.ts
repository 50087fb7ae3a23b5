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
import { QUERY_TRAIT_MODELS, SERVICE_MODELS } from '../src/protocol/models/services.ts';


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
  if (name === 'sqs') patchSqs(model);
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(model) + '\n');
  console.log(`${name}: ${Object.keys(model.operations as object).length} operations`);
}

const TRAITS = ['locationName', 'flattened', 'xmlNamespace'];

// awsQuery views of awsQueryCompatible models (QUERY_TRAIT_MODELS): the current model with the
// serialization traits of the last awsQuery model, read from an older botocore (default: the one
// Debian's /usr/bin/python3 imports; override with OSPREY_QUERY_BOTOCORE=/path/to/botocore).
const queryRoot = process.env.OSPREY_QUERY_BOTOCORE ?? execFileSync('/usr/bin/python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], {
  encoding: 'utf8',
}).trim();
for (const [name, rel] of Object.entries(QUERY_TRAIT_MODELS)) {
  const current = JSON.parse(readFileSync(join(outDir, `${name}.json`), 'utf8')) as QueryModel;
  const base = join(queryRoot, 'data', rel, 'service-2.json');
  const raw = existsSync(base) ? readFileSync(base) : gunzipSync(readFileSync(base + '.gz'));
  const legacy = strip(JSON.parse(raw.toString('utf8'))) as QueryModel;
  if (legacy.metadata.protocol !== 'query') throw new Error(`${base} is not an awsQuery model (${String(legacy.metadata.protocol)})`);
  const merged = overlayQueryTraits(current, legacy);
  merged['x-osprey-source'] = `${String(current['x-osprey-source'])} + awsQuery traits of ${queryRoot}/data/${rel}`;
  writeFileSync(join(outDir, `${name}.query.json`), JSON.stringify(merged) + '\n');
  console.log(`${name}: awsQuery view from ${queryRoot}`);
}

type Obj = Record<string, unknown>;
interface QueryModel extends Obj {
  metadata: Obj;
  operations: Record<string, Obj & { output?: Obj }>;
  shapes: Record<string, Obj>;
}

function copyTraits(to: Obj | undefined, from: Obj | undefined): void {
  if (!to || !from) return;
  for (const t of TRAITS) {
    if (from[t] !== undefined) to[t] = from[t];
    else delete to[t];
  }
}

/** The current model (operations, shapes, constraints) with the legacy model's awsQuery naming. */
function overlayQueryTraits(current: QueryModel, legacy: QueryModel): QueryModel {
  const out = JSON.parse(JSON.stringify(current)) as QueryModel;
  out.metadata = { ...out.metadata, protocol: 'query', protocols: ['query'], xmlNamespace: legacy.metadata.xmlNamespace };
  for (const [name, op] of Object.entries(out.operations)) {
    const old = legacy.operations[name];
    if (op.output && old?.output) op.output.resultWrapper = old.output.resultWrapper;
    else if (op.output) op.output.resultWrapper = `${name}Result`;
  }
  for (const [name, shape] of Object.entries(out.shapes)) {
    const old = legacy.shapes[name];
    if (!old) continue;
    copyTraits(shape, old);
    // awsQuery error codes (`AWS.SimpleQueueService.NonExistentQueue`): x-amzn-query-error reports them too.
    if (old.error !== undefined) shape.error = old.error;
    for (const part of ['member', 'key', 'value'] as const) copyTraits(shape[part] as Obj | undefined, old[part] as Obj | undefined);
    const members = shape.members as Record<string, Obj> | undefined;
    const oldMembers = old.members as Record<string, Obj> | undefined;
    for (const [m, ref] of Object.entries(members ?? {})) copyTraits(ref, oldMembers?.[m]);
  }
  return out;
}

/**
 * ReceiveMessage's deprecated AttributeNames reuses QueueAttributeName, but SQS documents (and
 * clients before MessageSystemAttributeNames, boto3 1.26 among them, send) message system
 * attribute names there: SentTimestamp, ApproximateReceiveCount… The enum gets those values so the
 * wire layer does not refuse what SQS accepts; GetQueueAttributes still refuses them in its handler.
 */
function patchSqs(model: Record<string, unknown>): void {
  const shapes = model.shapes as Record<string, { enum?: string[] }>;
  const queueNames = shapes.QueueAttributeName!;
  for (const v of shapes.MessageSystemAttributeName!.enum ?? []) if (!queueNames.enum!.includes(v)) queueNames.enum!.push(v);
}
