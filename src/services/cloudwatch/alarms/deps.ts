import type { SqliteAlarmRepo } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import type { AlarmRunner } from './runner.ts';

export interface AlarmDeps {
  repo: SqliteAlarmRepo;
  machine: AlarmStateMachine;
  runner: AlarmRunner;
}
