/**
 * CloudWatch dashboards: the four API operations. `dashboardHandlers(repo)` is spread into the
 * CloudWatch service's handler table.
 */
import type { DashboardRepo } from '../../../store/meta/dashboards.ts';
import { deleteDashboards, getDashboard, listDashboards, putDashboard } from './handlers.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';

export function dashboardHandlers(repo: DashboardRepo): ServiceHandlers<'cloudwatch'> {
  return {
    PutDashboard: (ctx, input) => putDashboard(repo, ctx, input),
    GetDashboard: (ctx, input) => getDashboard(repo, ctx, input),
    ListDashboards: (ctx, input) => listDashboards(repo, ctx, input),
    DeleteDashboards: (ctx, input) => deleteDashboards(repo, ctx, input),
  };
}

export { dashboardArn } from './handlers.ts';
export { validateDashboardBody, invalidBodyMessage } from './validate-body.ts';
export type { ValidationMessage } from './schema.ts';
