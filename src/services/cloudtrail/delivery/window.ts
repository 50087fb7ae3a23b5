/**
 * Which records a trail delivers by time: those made while it was logging. A trail delivers the
 * calls made from its (latest) StartLogging on; once stopped, those made up to StopLogging (records
 * of the logging period still waiting are delivered after the stop, as on AWS). A trail that was
 * never started delivers nothing.
 */
import type { Trail } from '../trails/types.ts';

/** Inclusive eventTime bounds (epoch ms). */
export interface LoggingWindow {
  from: number;
  to: number;
}

export function loggingWindow(trail: Pick<Trail, 'logging' | 'startLoggingTime' | 'stopLoggingTime'>): LoggingWindow | undefined {
  const start = trail.startLoggingTime;
  if (start === undefined) return undefined;
  if (trail.logging) return { from: start, to: Number.MAX_SAFE_INTEGER };
  const stop = trail.stopLoggingTime;
  // Stopped without a stop time after the start: nothing was logged in between.
  if (stop === undefined || stop < start) return undefined;
  return { from: start, to: stop };
}

export const inWindow = (w: LoggingWindow, eventTime: number): boolean => eventTime >= w.from && eventTime <= w.to;
