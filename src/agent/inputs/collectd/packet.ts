/**
 * collectd's binary network protocol: parts of (type u16, length u16 including the header,
 * payload), where host, time, plugin, plugin instance, type and type instance set the context for
 * the values parts that follow them (https://collectd.org/wiki/index.php/Binary_protocol).
 * COUNTER and ABSOLUTE are unsigned and DERIVE signed 64-bit big-endian; GAUGE is a little-endian
 * double. Notifications (message, severity) are skipped.
 */
export interface ValueList {
  host: string;
  plugin: string;
  pluginInstance: string;
  type: string;
  typeInstance: string;
  /** Milliseconds since the epoch. */
  time: number;
  values: number[];
}

const enum Part {
  Host = 0x0000, Time = 0x0001, Plugin = 0x0002, PluginInstance = 0x0003, Type = 0x0004, TypeInstance = 0x0005,
  Values = 0x0006, TimeHr = 0x0008,
}

const str = (b: Buffer): string => b.toString('utf8', 0, b.indexOf(0) >= 0 ? b.indexOf(0) : b.length);

function values(body: Buffer): number[] | undefined {
  if (body.length < 2) return undefined;
  const n = body.readUInt16BE(0);
  if (body.length !== 2 + n * 9) return undefined;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = body[2 + i];
    const at = 2 + n + i * 8;
    if (kind === 1) out.push(body.readDoubleLE(at));
    else if (kind === 2) out.push(Number(body.readBigInt64BE(at)));
    else if (kind === 0 || kind === 3) out.push(Number(body.readBigUInt64BE(at)));
    else return undefined;
  }
  return out;
}

/** The value lists of a (checked, decrypted) payload; throws on a malformed one. */
export function parsePayload(payload: Buffer, now = Date.now()): ValueList[] {
  const out: ValueList[] = [];
  const ctx = { host: '', plugin: '', pluginInstance: '', type: '', typeInstance: '', time: now };
  let at = 0;
  while (at + 4 <= payload.length) {
    const type = payload.readUInt16BE(at);
    const length = payload.readUInt16BE(at + 2);
    if (length < 4 || at + length > payload.length) throw new Error(`part 0x${type.toString(16)} at byte ${at} runs past the packet`);
    const body = payload.subarray(at + 4, at + length);
    at += length;
    switch (type) {
      case Part.Host: ctx.host = str(body); break;
      case Part.Plugin: ctx.plugin = str(body); break;
      case Part.PluginInstance: ctx.pluginInstance = str(body); break;
      case Part.Type: ctx.type = str(body); break;
      case Part.TypeInstance: ctx.typeInstance = str(body); break;
      case Part.Time: ctx.time = Number(body.readBigUInt64BE(0)) * 1000; break;
      case Part.TimeHr: ctx.time = Math.round(Number(body.readBigUInt64BE(0)) / 2 ** 30 * 1000); break;
      case Part.Values: {
        const v = values(body);
        if (v === undefined) throw new Error(`a values part at byte ${at - length} is malformed`);
        out.push({ ...ctx, values: v });
        break;
      }
      default: break; // interval, notifications, and parts newer than this parser
    }
  }
  return out;
}
