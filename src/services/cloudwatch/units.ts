/**
 * Units as the telemetry store keeps them (plain strings), narrowed back to the SDK's union on the
 * way out. Every publisher (PutMetricData, EMF, metric filters) stores only model units, so a value
 * outside the union would be a corrupt row; it is then left out of the answer rather than sent.
 */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

// Record<Union, true>: the compiler insists every value of the union is listed, and nothing else.
const STANDARD_UNITS: Record<StandardUnit, true> = {
  Bits: true, 'Bits/Second': true, Bytes: true, 'Bytes/Second': true, Count: true, 'Count/Second': true,
  Gigabits: true, 'Gigabits/Second': true, Gigabytes: true, 'Gigabytes/Second': true, Kilobits: true, 'Kilobits/Second': true,
  Kilobytes: true, 'Kilobytes/Second': true, Megabits: true, 'Megabits/Second': true, Megabytes: true, 'Megabytes/Second': true,
  Microseconds: true, Milliseconds: true, None: true, Percent: true, Seconds: true, Terabits: true, 'Terabits/Second': true,
  Terabytes: true, 'Terabytes/Second': true,
};

const isStandardUnit = (v: string): v is StandardUnit => Object.hasOwn(STANDARD_UNITS, v);

export const asStandardUnit = (stored: string): StandardUnit | undefined => (isStandardUnit(stored) ? stored : undefined);
