/** What every host input produces: field samples with the agent's units and tags (→ dimensions). */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

export interface Sample {
  /** The field, without the input's prefix (`usage_active`; the metric is `cpu_usage_active`). */
  field: string;
  value: number;
  unit: StandardUnit;
  /** Dimensions this sample carries (`cpu`, `path`, `device`, `fstype`). */
  tags: Record<string, string>;
}

export interface HostInput {
  /** Reads the host now; inputs that report rates keep the previous reading and report nothing the first time. */
  collect(): Sample[];
}

/** Where /proc is (tests point it at fixtures). */
export interface ProcPaths {
  proc: string;
}

export const HOST_PROC: ProcPaths = { proc: '/proc' };
