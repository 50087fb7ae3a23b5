/**
 * Doctor's port checks: each configured port must be free, or held by a running Osprey (its HTTP
 * port answers GET /_osprey/health). Probed by binding, the way the server will.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { OspreyConfig } from '../../config/config.ts';
import { fail, ok, warn, type Check } from './check.ts';

type Proto = 'tcp' | 'udp';

/** Resolves with the bind error's code, or undefined when the port could be bound (then released). */
function probe(proto: Proto, host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (proto === 'tcp') {
      const s = createServer();
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.listen(port, host, () => s.close(() => resolve(undefined)));
    } else {
      const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      s.once('error', (e: NodeJS.ErrnoException) => {
        s.close();
        resolve(e.code ?? 'error');
      });
      s.bind(port, host, () => s.close(() => resolve(undefined)));
    }
  });
}

/** Whether an Osprey answers health checks at host:port. */
export async function ospreyAt(host: string, port: number): Promise<boolean> {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  try {
    const res = await fetch(`http://${h.includes(':') ? `[${h}]` : h}:${port}/_osprey/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

export async function checkPorts(cfg: OspreyConfig): Promise<Check[]> {
  const ports: { name: string; proto: Proto; port: number }[] = [
    { name: 'HTTP (port)', proto: 'tcp', port: cfg.port },
    { name: 'EMF TCP (emfPort)', proto: 'tcp', port: cfg.emfPort },
    { name: 'EMF UDP (emfPort)', proto: 'udp', port: cfg.emfPort },
    { name: 'X-Ray daemon UDP (xrayUdpPort)', proto: 'udp', port: cfg.xrayUdpPort },
    { name: 'X-Ray daemon TCP (xrayTcpPort)', proto: 'tcp', port: cfg.xrayTcpPort },
  ];
  const ospreyRunning = cfg.port !== 0 && (await ospreyAt(cfg.host, cfg.port));
  const checks: Check[] = [];
  for (const p of ports) {
    const name = `port ${p.name}`;
    if (p.port === 0) {
      checks.push(ok(name, '0: any free port at start'));
      continue;
    }
    const code = await probe(p.proto, cfg.host, p.port);
    const where = `${cfg.host}:${p.port}/${p.proto}`;
    if (code === undefined) checks.push(ok(name, `${where} is free`));
    else if (code === 'EADDRINUSE' && ospreyRunning) checks.push(ok(name, `${where} is in use; an Osprey answers on ${cfg.host}:${cfg.port} (the running server)`));
    else if (code === 'EADDRINUSE') checks.push(fail(name, `${where} is in use by another program; free it or change ${p.name.replace(/.*\((\w+)\)/, '$1')} in the config`));
    else if (code === 'EACCES') checks.push(fail(name, `${where} needs privileges to bind (ports below 1024); choose a higher port`));
    else checks.push(warn(name, `${where} could not be probed: ${code}`));
  }
  return checks;
}
