/** What the Health handlers share; built once by the module. */
import type { Ctx } from '../../protocol/service.ts';
import type { HealthRepo, Incident } from './repo.ts';

export interface HealthDeps {
  repo: HealthRepo;
  /** Whether the caller's account is told about Osprey's incidents (audience.ts). */
  sees(ctx: Ctx): boolean;
}

/** The incidents the caller may read, newest first (none for an account outside the audience). */
export const visibleIncidents = async (deps: HealthDeps, ctx: Ctx): Promise<Incident[]> => (deps.sees(ctx) ? deps.repo.all() : []);
