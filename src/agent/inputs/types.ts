/** What every host input produces: field samples with the agent's units and tags (→ dimensions). */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

export interface Sample {
  /** The field, without the input's prefix (`usage_active`; the metric is `cpu_usage_active`). */
  field: string;
  value: number;
  unit: StandardUnit;
  /** Dimensions this sample carries (`cpu`, `path`, `device`, `fstype`). */
  tags: Record<string, string>;
  /** A distribution instead of one value (StatsD timings): the values and how often each was seen. */
  values?: number[];
  counts?: number[];
}

export interface HostInput {
  /** Reads the host now; inputs that report rates keep the previous reading and report nothing the first time. */
  collect(): Sample[];
  /** Listening inputs (StatsD) bind their port here and release it in close(). */
  start?(): Promise<void>;
  close?(): void;
}

/** An input that runs a host tool (nvidia-smi, ethtool) and so reads asynchronously. */
export interface CommandInput {
  collect(): Promise<Sample[]>;
  start?(): Promise<void>;
  close?(): void;
}

/** Where /proc is (tests point it at fixtures). */
export interface ProcPaths {
  proc: string;
}

export const HOST_PROC: ProcPaths = { proc: '/proc' };
