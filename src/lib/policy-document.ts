/**
 * The structural check every AWS resource-policy API applies to a policy document: a JSON object
 * with one or more statements, each with an Effect, a principal and an action. Pure; each service
 * wraps the reason in its own error (Logs: InvalidParameterException, X-Ray:
 * MalformedPolicyDocumentException).
 */

export type PolicyJson = Record<string, unknown>;

export const isPolicyObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type PolicyCheck = { ok: true; doc: PolicyJson } | { ok: false; reason: string };

/** Parses a policy document; on failure, says what is wrong (a clause to follow "Invalid policy document: "). */
export function checkPolicyDocument(text: string): PolicyCheck {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `it is not valid JSON (${(e as Error).message})` };
  }
  if (!isPolicyObject(doc)) return { ok: false, reason: 'it must be a JSON object' };
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) return { ok: false, reason: 'it needs a Statement' };
  for (const s of statements) {
    if (!isPolicyObject(s)) return { ok: false, reason: 'each Statement must be a JSON object' };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { ok: false, reason: 'each Statement needs "Effect": "Allow" or "Deny"' };
    if (s.Principal === undefined && s.NotPrincipal === undefined) return { ok: false, reason: 'each Statement needs a Principal' };
    if (s.Action === undefined && s.NotAction === undefined) return { ok: false, reason: 'each Statement needs an Action' };
  }
  return { ok: true, doc };
}
