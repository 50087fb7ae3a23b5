import type { AlarmRepo } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import type { AlarmRunner } from './runner.ts';

export interface AlarmDeps {
  repo: AlarmRepo;
  machine: AlarmStateMachine;
  runner: AlarmRunner;
}
