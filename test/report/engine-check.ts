/**
 * The report's matrix, cell by cell, against the IAM evaluation engine (@cloud-copilot/iam-simulate
 * through test/helpers/iam-eval.ts). Each row of the matrix is a class of principals; the engine is
 * asked for concrete members of it (a role and a session of it, with and without an IAM policy
 * allowing kms:*; roles of accounts the policy does not name; a service for a resource the policy
 * names and for one it does not, and without a source). The report's `allowed` must be allowed for
 * every member, its `denied` denied for every member; `depends` is not checked, only counted.
 */
import { readAssembly } from '../../src/report/assembly';
import { AccessEntry, KeyAccess, KeyAccessReportData, MatrixRow } from '../../src/report/model';
import { StackTemplateSource } from '../../src/template/template-index';
import { evaluateKeyAccess, IamEvalEnv, resolveIntrinsics, resolveKey, roleArn } from '../helpers/iam-eval';
import { ALLOW_KMS, FRESH_ACCOUNTS } from '../policy/differential-harness';

export interface Disagreement {
  readonly key: string;
  readonly row: string;
  readonly action: string;
  readonly context: string;
  readonly report: string;
  readonly engine: string;
}

export interface CheckResult {
  readonly cells: number;
  readonly engineRequests: number;
  readonly disagreements: Disagreement[];
  /** Report says depends where every member agrees. */
  readonly dependsWhereDefinite: number;
  readonly depends: number;
}

interface Member {
  readonly principal: string;
  readonly identityPolicies?: object[];
  readonly context?: Record<string, string>;
}

const SOMEONE_ELSE = 'report-someone-else';
const SESSION = 'report-session';
/** A service the example policies never name: the member of "an AWS service the policy does not name". */
const UNNAMED_SERVICE = 'unnamed-example.amazonaws.com';

/** Every question the report asks of a key, with the report's answer (denied when not listed). */
function questions(key: KeyAccess, row: MatrixRow): Array<{ action: string; context: string; decision: string }> {
  const listed = new Map(row.access.map((e: AccessEntry) => [`${e.action}|${e.context}`, e.decision]));
  const actions = new Set(key.columns.flatMap((c) => c.actions));
  const viaContexts = new Set<string>(['via another service']);
  for (const r of key.rows) for (const e of r.access) if (e.context.startsWith('via ')) viaContexts.add(e.context);
  const out: Array<{ action: string; context: string; decision: string }> = [];
  for (const action of actions) {
    let contexts: string[];
    if (action === 'kms:CreateGrant') {
      contexts = ['grant for an AWS resource', 'grant not for an AWS resource'];
      if (row.kind !== 'service') for (const v of viaContexts) contexts.push(`grant for an AWS resource ${v}`, `grant not for an AWS resource ${v}`);
    } else if (row.kind === 'service' || key.columns.some((c) => c.group === 'administer' && c.actions.includes(action))) {
      contexts = ['direct'];
    } else {
      contexts = ['direct', ...viaContexts];
    }
    for (const context of contexts) out.push({ action, context, decision: listed.get(`${action}|${context}`) ?? 'denied' });
  }
  // Entries the report lists in contexts this enumeration does not make (none expected) are asked too.
  for (const e of row.access) if (!out.some((q) => q.action === e.action && q.context === e.context)) out.push(e);
  return out;
}

/** The ARNs a policy's conditions name: what a service acting for a resource of the app sends as aws:SourceArn. */
function sourceArns(policy: object): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && v.startsWith('arn:')) out.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const s of [(policy as { Statement: unknown }).Statement].flat() as Array<{ Condition?: unknown }>) visit(s.Condition);
  return [...out];
}

function membersOf(row: MatrixRow, key: KeyAccess, stacks: Map<string, StackTemplateSource>, env: Partial<IamEvalEnv>, policy: object): Member[] {
  const account = env.account!;
  const withAndWithout = (principal: string): Member[] => [{ principal, identityPolicies: [] }, { principal, identityPolicies: [ALLOW_KMS] }];
  switch (row.kind) {
    case 'named': {
      const arn = row.resource
        ? roleArn(stacks.get(row.resource.stack)!.template as object, row.resource.logicalId, env)
        : row.id.slice('principal:'.length);
      const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
      const principals = role ? [arn, `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${SESSION}`] : [arn];
      return principals.flatMap(withAndWithout);
    }
    case 'root-user':
      return [{ principal: `arn:aws:iam::${account}:root` }];
    case 'account-principals':
      return [{ principal: `arn:aws:iam::${account}:role/${SOMEONE_ELSE}`, identityPolicies: row.id === 'account:with-iam-policy' ? [ALLOW_KMS] : [] }];
    case 'other-account': {
      const accounts = row.id === 'other-account:any' ? FRESH_ACCOUNTS : [row.id.slice('other-account:'.length)];
      return accounts.map((a) => ({ principal: `arn:aws:iam::${a}:role/${SOMEONE_ELSE}`, identityPolicies: [ALLOW_KMS] }));
    }
    case 'service': {
      const [, name, whose] = /^service:(.+):(this-account|another-account)$/.exec(row.id)!;
      const service = name === 'any-service' ? UNNAMED_SERVICE : name;
      const members: Member[] = [{ principal: service, context: {} }];
      if (whose === 'this-account') {
        const arns = sourceArns(policy).filter((a) => a.split(':')[4] === account || a.split(':')[4] === '');
        for (const arn of [...arns, `arn:aws:sns:${env.region}:${account}:report-topic`]) {
          members.push({ principal: service, context: { 'aws:SourceAccount': account, 'aws:SourceArn': arn } });
        }
      } else {
        for (const other of FRESH_ACCOUNTS.slice(0, 2)) {
          members.push({ principal: service, context: { 'aws:SourceAccount': other, 'aws:SourceArn': `arn:aws:sns:${env.region}:${other}:report-topic` } });
        }
      }
      void key;
      return members;
    }
  }
}

function requestContexts(context: string, region: string): Array<Record<string, string>> {
  const via = /via (.+)$/.exec(context)?.[1];
  const base: Record<string, string> = {};
  if (via !== undefined) base['kms:ViaService'] = via === 'another service' ? `unnamedexample.${region}.amazonaws.com` : via;
  if (context.startsWith('grant for an AWS resource')) return [{ ...base, 'kms:GrantIsForAWSResource': 'true' }];
  // Not for an AWS resource: KMS sends false, or nothing.
  if (context.startsWith('grant not for')) return [{ ...base, 'kms:GrantIsForAWSResource': 'false' }, base];
  return [base];
}

/**
 * The engine's resolver does not follow CDK's cross-Region references: a replica key's
 * PrimaryKeyArn is given as the ARN the resolver gives the app's one multi-Region primary key.
 */
function primaryArn(stacks: StackTemplateSource[]): string {
  const primaries = stacks.flatMap((s) => Object.entries((s.template as any).Resources ?? {})
    .filter(([, r]: [string, any]) => r.Type === 'AWS::KMS::Key' && r.Properties?.MultiRegion === true)
    .map(([id]) => resolveKey(s.template as object, id, { account: s.account, region: s.region }).keyArn));
  if (primaries.length !== 1) throw new Error(`expected one multi-Region primary key, found ${primaries.length}`);
  return primaries[0];
}

export async function crossCheck(assembly: string, report: KeyAccessReportData): Promise<CheckResult> {
  const { stacks } = readAssembly(assembly);
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const disagreements: Disagreement[] = [];
  let cells = 0;
  let engineRequests = 0;
  let depends = 0;
  let dependsWhereDefinite = 0;
  for (const key of report.keys) {
    const source = byId.get(key.stack)!;
    const env: Partial<IamEvalEnv> = { account: source.account, region: source.region };
    let template = source.template as any;
    if (key.type === 'AWS::KMS::ReplicaKey') {
      template = JSON.parse(JSON.stringify(template));
      template.Resources[key.logicalId].Properties.PrimaryKeyArn = primaryArn(stacks);
    }
    const resolved = key.policySource === 'kms-default'
      ? {
        keyArn: `arn:aws:kms:${env.region}:${env.account}:key/00000000-0000-0000-0000-000000000000`,
        keyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${env.account}:root` }, Action: 'kms:*', Resource: '*' }] },
      }
      : resolveKey(template, key.logicalId, env);
    const policy = resolveIntrinsics(template, resolved.keyPolicy, env);
    for (const row of key.rows) {
      const members = membersOf(row, key, byId, env, policy);
      for (const q of questions(key, row)) {
        cells++;
        const decisions: string[] = [];
        for (const member of members) {
          for (const context of requestContexts(q.context, env.region!)) {
            engineRequests++;
            try {
              decisions.push(await evaluateKeyAccess({
                keyPolicy: policy,
                keyArn: resolved.keyArn,
                principalArn: member.principal,
                action: q.action,
                identityPolicies: member.principal.endsWith(':root') || !member.principal.startsWith('arn:') ? undefined : member.identityPolicies,
                context: { ...(member.context ?? {}), ...context },
                ignoreInapplicableContext: true,
              }));
            } catch (e) {
              decisions.push(`error: ${(e as Error).message}`);
            }
          }
        }
        const errors = decisions.filter((d) => d.startsWith('error'));
        const allowed = decisions.filter((d) => d === 'Allowed').length;
        const engine = errors.length > 0 ? errors[0] : allowed === decisions.length ? 'allowed' : allowed === 0 ? 'denied' : 'mixed';
        if (q.decision === 'depends') {
          depends++;
          if (engine === 'allowed' || engine === 'denied') dependsWhereDefinite++;
          continue;
        }
        if (engine !== q.decision) {
          disagreements.push({ key: key.id, row: row.id, action: q.action, context: q.context, report: q.decision, engine: `${engine} (${decisions.join(', ')})` });
        }
      }
    }
  }
  return { cells, engineRequests, disagreements, dependsWhereDefinite, depends };
}
