// How the data viewer shows a record's bytes: gzip (CloudWatch Logs subscription data, Firehose
// compression) is inflated first, then the bytes read as UTF-8 text, pretty-printed when JSON, and
// anything else shown as base64.

export interface Decoded {
  kind: 'json' | 'text' | 'binary';
  /** What to show: formatted JSON, the text, or base64 of the bytes. */
  text: string;
  /** The record was gzip-compressed and is shown decompressed. */
  gzip: boolean;
}

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

async function gunzip(b: Uint8Array): Promise<Uint8Array> {
  // A copy: Blob takes only ArrayBuffer-backed views, and the SDK may hand out a view of a shared buffer.
  const stream = new Blob([new Uint8Array(b)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function decodeRecord(data: Uint8Array): Promise<Decoded> {
  let bytes = data;
  let gzip = false;
  if (isGzip(data)) {
    try {
      bytes = await gunzip(data);
      gzip = true;
    } catch {
      // Starts like gzip but is not: show the original bytes.
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'binary', text: base64(bytes), gzip };
  }
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(t), null, 2), gzip };
    } catch {
      // Not JSON after all (or JSON lines): plain text.
    }
  }
  return { kind: 'text', text, gzip };
}
