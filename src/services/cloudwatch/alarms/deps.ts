import type { DetectorMetric } from '../anomaly/detector.ts';
import type { AlarmRepo } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import type { AlarmRunner } from './runner.ts';

export interface AlarmDeps {
  repo: AlarmRepo;
  machine: AlarmStateMachine;
  runner: AlarmRunner;
  /** Creates the detector a band alarm uses (absent: band alarms are refused by validation only). */
  bands?: { ensure(scope: { account: string; region: string }, metric: DetectorMetric): unknown };
}
