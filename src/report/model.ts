/**
 * The key-access report as data: what `--format json` writes and `--baseline` reads back.
 * docs/key-access-report.md describes every field; `REPORT_SCHEMA` changes with any change of
 * meaning, so that a baseline of another shape is refused rather than misread.
 */

export const REPORT_SCHEMA = 'cdk-kms-guardrails/key-access-report/v1';

export type CellDecision = 'allowed' | 'denied' | 'depends';

/** One question asked of a key's policy: an action, in a request context. Denied answers are not listed. */
export interface AccessEntry {
  /** `kms:Decrypt`, ... */
  readonly action: string;
  /**
   * `direct`; `via <service endpoint>` (kms:ViaService a statement names); `via another service`;
   * for kms:CreateGrant: `grant for an AWS resource` / `grant not for an AWS resource`, optionally
   * followed by ` via ...`.
   */
  readonly context: string;
  readonly decision: 'allowed' | 'depends';
  /** For `depends`: on what (an IAM policy, a value known only at deployment, a condition). */
  readonly dependsOn?: readonly string[];
  /** The statements that decide it. */
  readonly because: readonly string[];
}

export type RowKind = 'named' | 'root-user' | 'account-principals' | 'other-account' | 'service';

export interface MatrixRow {
  /** Stable across syntheses: what `--baseline` compares. */
  readonly id: string;
  readonly kind: RowKind;
  /** Who, in plain words. */
  readonly label: string;
  /** For principals the app defines: the stack id and logical id of the role or user. */
  readonly resource?: { readonly stack: string; readonly logicalId: string };
  /** Every non-denied answer; an action and context missing here is denied. */
  readonly access: readonly AccessEntry[];
}

export interface MatrixColumn {
  readonly id: string;
  /** What the column asks, in plain words. */
  readonly label: string;
  /** Which part of the matrix: administer, use, grants, services. */
  readonly group: 'administer' | 'use' | 'grants' | 'services';
  /** The actions it covers. */
  readonly actions: readonly string[];
}

export interface MatrixCell {
  readonly decision: CellDecision;
  /** For the services column: each service through which use is allowed or depends. */
  readonly services?: ReadonlyArray<{ readonly service: string; readonly decision: 'allowed' | 'depends' }>;
  /** For create grants: `for AWS resources only` when only such grants are allowed. */
  readonly note?: string;
}

/** An IAM policy of the app that grants KMS actions on the key's ARN (or a pattern that matches it, `*` included). */
export interface IdentityGrant {
  /** `stack id/logical id` of the policy, role, user or group that holds it. */
  readonly policy: string;
  readonly path: string;
  /** AWS::IAM::Policy, AWS::IAM::ManagedPolicy, or `inline policy <name> of AWS::IAM::Role` ... */
  readonly kind: string;
  readonly statement: string;
  /** The KMS actions it allows on the key (wildcards expanded, canonical spelling). */
  readonly actions: readonly string[];
  /** The key's ARN, or the pattern that covers it. */
  readonly resource: string;
  /** Whether the statement has a condition (its effect then depends on the request). */
  readonly conditional: boolean;
  /** The principals it is attached to, as far as the app says. */
  readonly principals: ReadonlyArray<{
    readonly label: string;
    /** The actions of this grant that the key policy lets an IAM policy give this principal: allowed, or depends. */
    readonly effective: readonly string[];
  }>;
}

export interface KeyAccess {
  /** `stack id/logical id`: stable across syntheses. */
  readonly id: string;
  readonly stack: string;
  readonly logicalId: string;
  /** The construct path (`aws:cdk:path`), or the id when the template has none. */
  readonly path: string;
  readonly type: string;
  readonly account: string;
  readonly region: string;
  /** ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT, or `unknown`. */
  readonly usage: string;
  /** `template`, or `kms-default` for a key without KeyPolicy (the account root with kms:*). */
  readonly policySource: 'template' | 'kms-default';
  /** Values of the policy that cannot be known before deployment. */
  readonly unresolved: readonly string[];
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
  readonly identityPolicies: readonly IdentityGrant[];
}

export interface KeyAccessReportData {
  readonly schema: typeof REPORT_SCHEMA;
  /** The assembly it was made from, as given. */
  readonly source: string;
  readonly keys: readonly KeyAccess[];
  /** What could not be read. */
  readonly warnings: readonly string[];
}

const RANK: Record<CellDecision, number> = { denied: 0, depends: 1, allowed: 2 };

export function wider(a: CellDecision, b: CellDecision): CellDecision {
  return RANK[a] >= RANK[b] ? a : b;
}

export function rankOf(decision: CellDecision): number {
  return RANK[decision];
}

/** The cell of `row` under `column`: the widest answer over its actions and contexts. */
export function cellOf(row: MatrixRow, column: MatrixColumn): MatrixCell {
  const actions = new Set(column.actions);
  const entries = row.access.filter((e) => actions.has(e.action));
  if (column.group === 'services') {
    const byService = new Map<string, 'allowed' | 'depends'>();
    for (const e of entries) {
      if (!e.context.startsWith('via ')) continue;
      const service = e.context.slice('via '.length);
      byService.set(service, wider(byService.get(service) ?? 'depends', e.decision) as 'allowed' | 'depends');
    }
    const services = [...byService.entries()].map(([service, decision]) => ({ service, decision }));
    const decision = services.reduce<CellDecision>((d, s) => wider(d, s.decision), 'denied');
    return services.length > 0 ? { decision, services } : { decision };
  }
  const considered = column.group === 'grants' ? entries : entries.filter((e) => e.context === 'direct');
  const decision = considered.reduce<CellDecision>((d, e) => wider(d, e.decision), 'denied');
  if (column.group === 'grants' && decision !== 'denied' && considered.every((e) => e.context.startsWith('grant for an AWS resource'))) {
    const vias = [...new Set(considered.map((e) => /via (.+)$/.exec(e.context)?.[1]))];
    const only = vias.includes(undefined) ? '' : ` through ${vias.join(', ')}`;
    return { decision, note: `for AWS resources only${only}` };
  }
  return { decision };
}
