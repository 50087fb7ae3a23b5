/**
 * `GET /_osprey/synthetics/artifacts/<canary>/<runId>/[<file>]`: a run's artifacts for the console
 * (which cannot read the artifact bucket): the list of files, or one file. SigV4-signed like an API
 * call; the signer's account and Region scope the lookup, so no other account's runs resolve.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { HttpRoute } from '../../server/module.ts';
import type { SyntheticsRepo } from './repo.ts';

export const ARTIFACT_PREFIX = '/_osprey/synthetics/artifacts/';

const TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.json': 'application/json', '.har': 'application/json',
  '.html': 'text/html; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function artifactRoute(repo: SyntheticsRepo): HttpRoute {
  return {
    method: 'GET',
    prefix: ARTIFACT_PREFIX,
    auth: 'sigv4',
    async handle(pathAndQuery, _body, request) {
      const id = request.identity!;
      const path = pathAndQuery.split('?')[0].slice(ARTIFACT_PREFIX.length);
      const [canary, runId, file, ...extra] = path.split('/').map((p) => decodeURIComponent(p));
      if (!canary || !runId || extra.length > 0) return json(400, { message: 'Use /_osprey/synthetics/artifacts/<canary>/<runId>/[<file>].' });
      const scope = { account: id.accountId, region: id.region };
      const c = await repo.canary(scope, canary);
      const run = c && (await repo.run(scope, c.id, runId));
      if (!run) return json(404, { message: `Canary ${canary} has no run ${runId}.` });
      const names = existsSync(run.localDir) ? readdirSync(run.localDir).sort() : [];
      if (!file) return json(200, { artifacts: names });
      // Only a listed name is read: no path in `file` can leave the run's directory.
      if (!names.includes(file)) return json(404, { message: `Run ${runId} has no artifact ${file}.` });
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return { status: 200, headers: { 'content-type': type, 'cache-control': 'private, max-age=3600' }, body: readFileSync(join(run.localDir, file)) };
    },
  };
}
