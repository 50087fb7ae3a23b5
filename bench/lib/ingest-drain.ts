/**
 * A write-ahead-log pipeline acknowledges before rows reach the engine: ingest rates count until
 * the server's in-memory head is empty (its /metrics gauge), so a burst's backlog is not free.
 */

/** Waits until the server's ingest head for `table` is empty (its /metrics); ms waited. */
export async function drained(url: string, table: string): Promise<number> {
  const started = performance.now();
  const gauge = new RegExp(`^osprey_ingest_head_rows\\{[^}]*table="${table}"[^}]*\\} (\\d+)`, 'm');
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = gauge.exec(text);
    if (!m || Number(m[1]) === 0) return Math.round(performance.now() - started);
    if (performance.now() - started > 120_000) throw new Error(`${table}: head not drained in 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
