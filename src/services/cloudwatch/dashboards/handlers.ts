/**
 * PutDashboard, GetDashboard, ListDashboards, DeleteDashboards. Dashboards are global per account:
 * the region of the call plays no part in the key, and in the ARN only through its partition
 * (arn:aws:cloudwatch::<account>:dashboard/<name>, arn:aws-cn:… when called in cn-north-1).
 *
 * Errors use the awsQuery codes (InvalidParameterInput, InvalidParameterValue) like the rest of the
 * CloudWatch service, except "not found": two model shapes share ResourceNotFound, and the dashboard
 * operations answer with DashboardNotFoundError, so that shape is named.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { DashboardRepo } from '../../../store/meta/dashboards.ts';
import { required } from '../inputs.ts';
import { invalidBodyMessage, validateDashboardBody } from './validate-body.ts';
import { regionlessArn } from '../../../lib/arn.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

export const dashboardArn = (ctx: Ctx, name: string): string => regionlessArn('cloudwatch', ctx, `dashboard/${name}`);

/** ListDashboards pages hold up to 1000 entries (API reference). */
export const LIST_PAGE_SIZE = 1000;

/** PutDashboard's Tags are served by TagResource/ListTagsForResource, not stored here. */
export async function putDashboard(repo: DashboardRepo, ctx: Ctx, input: CallInput<'cloudwatch', 'PutDashboard'>): Promise<CallOutput<'cloudwatch', 'PutDashboard'>> {
  const name = required(input.DashboardName, 'DashboardName');
  const body = required(input.DashboardBody, 'DashboardBody');
  checkDashboardName(name);
  const check = validateDashboardBody(body);
  if (!check.ok) {
    if (check.notAnObject) {
      throw new ServiceError('InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
    }
    throw new ServiceError('InvalidParameterInput', invalidBodyMessage(check.messages), {
      // The error shape's own member (lower-case d), serialised next to the message by JSON protocols.
      fields: { dashboardValidationMessages: check.messages.map((m) => ({ DataPath: m.dataPath, Message: m.message })) },
    });
  }
  await repo.put({
    account: ctx.account,
    name,
    body,
    lastModified: ctx.clock.now(),
    size: Buffer.byteLength(body, 'utf8'),
  });
  // Only warnings would be listed on success; this implementation raises none.
  return { DashboardValidationMessages: [] };
}

function checkDashboardName(name: string): void {
  // AWS ends this message with a newline; kept so clients comparing messages see the same text.
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new ServiceError('InvalidParameterValue',
      'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n');
  }
  if (name.length > 255) {
    throw new ServiceError('InvalidParameterValue', 'The value for field DashboardName must be at most 255 characters long.');
  }
}

export async function getDashboard(repo: DashboardRepo, ctx: Ctx, input: CallInput<'cloudwatch', 'GetDashboard'>): Promise<CallOutput<'cloudwatch', 'GetDashboard'>> {
  const d = await repo.get(ctx.account, required(input.DashboardName, 'DashboardName'));
  if (!d) throw new ServiceError('DashboardNotFoundError', `Dashboard ${input.DashboardName} does not exist.`);
  return { DashboardArn: dashboardArn(ctx, d.name), DashboardBody: d.body, DashboardName: d.name };
}

const decodeToken = (token: string): string => {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string') return (v as { after: string }).after;
  } catch {
    // fall through to the AWS error
  }
  throw new ServiceError('InvalidParameterValue', 'The value of the parameter NextToken is not valid.');
};

export async function listDashboards(repo: DashboardRepo, ctx: Ctx, input: CallInput<'cloudwatch', 'ListDashboards'>): Promise<CallOutput<'cloudwatch', 'ListDashboards'>> {
  const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : undefined;
  // One extra row tells whether another page exists without a second query.
  const rows = await repo.list({ account: ctx.account, prefix: input.DashboardNamePrefix, after, limit: LIST_PAGE_SIZE + 1 });
  const page = rows.slice(0, LIST_PAGE_SIZE);
  return {
    DashboardEntries: page.map((d) => ({
      DashboardName: d.name,
      DashboardArn: dashboardArn(ctx, d.name),
      LastModified: new Date(d.lastModified),
      Size: d.size,
    })),
    NextToken: rows.length > LIST_PAGE_SIZE
      ? Buffer.from(JSON.stringify({ after: page[page.length - 1].name })).toString('base64url')
      : undefined,
  };
}

export async function deleteDashboards(repo: DashboardRepo, ctx: Ctx, input: CallInput<'cloudwatch', 'DeleteDashboards'>): Promise<CallOutput<'cloudwatch', 'DeleteDashboards'>> {
  const names = required(input.DashboardNames, 'DashboardNames');
  // The model sets no minimum on the list, but the parameter is required and a call that names no
  // dashboard is refused as an invalid value (not a silent success).
  if (names.length === 0) throw new ServiceError('InvalidParameterValue', 'Need at least 1 dashboard.');
  const missing = await repo.deleteAll(ctx.account, [...new Set(names)]);
  if (missing.length > 0) {
    // All or nothing: one unknown name and no dashboard is deleted.
    throw new ServiceError('DashboardNotFoundError', 'The specified dashboard does not exist.');
  }
  return {};
}
