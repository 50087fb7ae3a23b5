/**
 * nvidia_gpu: per GPU, the fields the CloudWatch agent publishes as `nvidia_smi_<field>` —
 * utilization, memory, PCIe link, encoder, clocks, temperature, power and fan — from one
 * `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` per reading (/usr/bin/nvidia-smi, else
 * the one on PATH), tagged `index` and `name` as the agent's dimensions. A value the GPU does not
 * report (`[N/A]`, `[Not Supported]`) is left out; on a host without nvidia-smi nothing is published.
 */
import type { Logger } from '../../lib/logger.ts';
import { findExecutable, runCommand } from './host-command.ts';
import type { CommandInput, Sample } from './types.ts';

/** Field → nvidia-smi query property and the unit the agent gives it. */
const FIELDS: Record<string, [string, Sample['unit']]> = {
  utilization_gpu: ['utilization.gpu', 'Percent'],
  utilization_memory: ['utilization.memory', 'Percent'],
  memory_total: ['memory.total', 'Megabytes'],
  memory_used: ['memory.used', 'Megabytes'],
  memory_free: ['memory.free', 'Megabytes'],
  pcie_link_gen_current: ['pcie.link.gen.current', 'None'],
  pcie_link_width_current: ['pcie.link.width.current', 'None'],
  encoder_stats_session_count: ['encoder.stats.sessionCount', 'Count'],
  encoder_stats_average_fps: ['encoder.stats.averageFps', 'None'],
  encoder_stats_average_latency: ['encoder.stats.averageLatency', 'Microseconds'],
  clocks_current_graphics: ['clocks.current.graphics', 'None'],
  clocks_current_sm: ['clocks.current.sm', 'None'],
  clocks_current_memory: ['clocks.current.memory', 'None'],
  clocks_current_video: ['clocks.current.video', 'None'],
  temperature_gpu: ['temperature.gpu', 'None'],
  power_draw: ['power.draw', 'None'],
  fan_speed: ['fan.speed', 'Percent'],
};

export const NVIDIA_GPU_FIELDS: ReadonlySet<string> = new Set(Object.keys(FIELDS));
const ORDER = Object.keys(FIELDS);
/** The name goes last: it is the one column that may itself hold a comma. */
export const NVIDIA_QUERY = ['index', ...ORDER.map((f) => FIELDS[f]![0]), 'name'].join(',');

export function parseNvidiaSmi(csv: string): Sample[] {
  const out: Sample[] = [];
  for (const line of csv.split('\n')) {
    const cols = line.split(',').map((c) => c.trim());
    if (cols.length < ORDER.length + 2) continue;
    const tags = { index: cols[0]!, name: cols.slice(ORDER.length + 1).join(', ') };
    ORDER.forEach((field, i) => {
      const value = Number(cols[i + 1]);
      if (cols[i + 1] !== '' && Number.isFinite(value)) out.push({ field, value, unit: FIELDS[field]![1], tags });
    });
  }
  return out;
}

/** `bin` null: the host has no nvidia-smi. */
export function nvidiaGpuInput(log: Logger, bin: string | null = findExecutable('nvidia-smi', ['/usr/bin/nvidia-smi']) ?? null): CommandInput {
  let told = false;
  const once = (msg: string, extra: Record<string, unknown> = {}) => {
    if (!told) log.info(extra, msg);
    told = true;
  };
  return {
    async collect() {
      if (bin === null) {
        once('nvidia_gpu: no nvidia-smi on this host; no GPU metrics');
        return [];
      }
      const r = await runCommand(bin, [`--query-gpu=${NVIDIA_QUERY}`, '--format=csv,noheader,nounits']);
      if (!r.ok) {
        once('nvidia_gpu: nvidia-smi found no GPU to read; no GPU metrics', { err: r.stderr.trim().slice(0, 300) });
        return [];
      }
      told = false;
      return parseNvidiaSmi(r.stdout);
    },
  };
}
