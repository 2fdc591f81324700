import { resourceCovers } from './matrix';
import { IdentityGrant } from './model';
import { actionPatternRegExp, KEY_ACTIONS } from '../policy/actions';
import { readPolicy } from '../policy/document';
import { KeyPolicyEvaluator, Subject } from '../policy/evaluator';
import { labelOf } from '../policy/invariants';
import { placeholder } from '../template/render';
import { TemplateIndex, TemplateResource, TemplateStack } from '../template/template-index';

/**
 * The identity side of the report: every IAM policy of the app (AWS::IAM::Policy,
 * AWS::IAM::ManagedPolicy, inline policies of roles, users and groups) that allows KMS actions on
 * a key, and the principals it is attached to. Whether such a grant takes effect is the key
 * policy's to say: KMS honours an IAM policy only where the key policy lets the account decide.
 */

/** A principal an IAM policy reaches: a role or user of the app, or one named outside it. */
interface Holder {
  readonly label: string;
  /** Its rendered ARN, as the key policy evaluator compares it. */
  readonly arn?: string;
  readonly account: string;
}

interface PolicySource {
  readonly owner: TemplateResource;
  readonly kind: string;
  readonly document: unknown;
  readonly holders: () => Holder[];
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A readable name for a resource of the app: its construct path without the trailing `/Resource`. */
export function resourceLabel(resource: TemplateResource): string {
  return resource.path.replace(/\/Resource$/, '');
}

function accountOf(stack: TemplateStack): string {
  return stack.account ?? placeholder.pseudo('AccountId');
}

/** Every IAM policy document of the app, with whom it is attached to. Computed once per index. */
function policySources(index: TemplateIndex): PolicySource[] {
  return index.derive('report:identity-policy-sources', () => {
    const sources: PolicySource[] = [];
    const principalsOf = (resource: TemplateResource, types: Array<[string, string]>): Holder[] => {
      let properties: Record<string, unknown>;
      try {
        properties = resource.properties();
      } catch {
        return [];
      }
      return types.flatMap(([property, type]) => list(properties[property]).flatMap((value) => holdersNamed(index, resource.scope, type, value)));
    };
    const attachments = managedPolicyAttachments(index);
    for (const resource of index.resourcesOfType('AWS::IAM::Policy')) {
      sources.push({
        owner: resource,
        kind: 'AWS::IAM::Policy',
        document: safeProperties(resource).PolicyDocument,
        holders: () => principalsOf(resource, [['Roles', 'AWS::IAM::Role'], ['Users', 'AWS::IAM::User'], ['Groups', 'AWS::IAM::Group']]),
      });
    }
    for (const resource of index.resourcesOfType('AWS::IAM::ManagedPolicy')) {
      sources.push({
        owner: resource,
        kind: 'AWS::IAM::ManagedPolicy',
        document: safeProperties(resource).PolicyDocument,
        holders: () => [
          ...principalsOf(resource, [['Roles', 'AWS::IAM::Role'], ['Users', 'AWS::IAM::User'], ['Groups', 'AWS::IAM::Group']]),
          ...(attachments.get(resource.uid) ?? []),
        ],
      });
    }
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
      for (const resource of index.resourcesOfType(type)) {
        for (const inline of list(safeProperties(resource).Policies)) {
          const policy = (inline ?? {}) as Record<string, unknown>;
          const name = index.render(resource.scope, policy.PolicyName) ?? '?';
          sources.push({
            owner: resource,
            kind: `inline policy ${labelOf(name)} of ${type}`,
            document: policy.PolicyDocument,
            holders: () => holdersOf(index, resource),
          });
        }
      }
    }
    return sources;
  });
}

/** Roles, users and groups that attach a managed policy of the app through ManagedPolicyArns. */
function managedPolicyAttachments(index: TemplateIndex): Map<number, Holder[]> {
  const out = new Map<number, Holder[]>();
  for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
    for (const resource of index.resourcesOfType(type)) {
      for (const value of list(safeProperties(resource).ManagedPolicyArns)) {
        const rendered = index.render(resource.scope, value);
        if (rendered === undefined) continue;
        for (const policy of index.referencedResources(rendered)) {
          if (policy.type !== 'AWS::IAM::ManagedPolicy') continue;
          out.set(policy.uid, [...(out.get(policy.uid) ?? []), ...holdersOf(index, resource)]);
        }
      }
    }
  }
  return out;
}

/** The principals behind a role, a user, or a group (its member users of the app). */
function holdersOf(index: TemplateIndex, resource: TemplateResource): Holder[] {
  if (resource.type === 'AWS::IAM::Group') {
    const members: Holder[] = [];
    for (const user of index.resourcesOfType('AWS::IAM::User')) {
      for (const group of list(safeProperties(user).Groups)) {
        const rendered = index.render(user.scope, group);
        if (rendered !== undefined && index.referencedResources(rendered).includes(resource)) members.push(...holdersOf(index, user));
      }
    }
    return members.length > 0 ? members : [{ label: `members of group ${resourceLabel(resource)}`, account: accountOf(resource.scope) }];
  }
  const kind = resource.type === 'AWS::IAM::Role' ? 'role' : 'user';
  const arn = index.render(resource.scope, { 'Fn::GetAtt': [resource.logicalId, 'Arn'] });
  return [{ label: `${kind} ${resourceLabel(resource)}`, arn, account: accountOf(resource.scope) }];
}

/** The principals a name in `Roles` / `Users` / `Groups` stands for. */
function holdersNamed(index: TemplateIndex, stack: TemplateStack, type: string, value: unknown): Holder[] {
  const rendered = index.render(stack, value);
  if (rendered === undefined) return [{ label: `a ${type.replace('AWS::IAM::', '').toLowerCase()} known only at deployment`, account: accountOf(stack) }];
  const referenced = index.referencedResources(rendered).filter((r) => r.type === type);
  if (referenced.length > 0) return referenced.flatMap((r) => holdersOf(index, r));
  // A literal name: a resource of the app with that name, or one defined elsewhere in the account.
  const nameProperty = type === 'AWS::IAM::Role' ? 'RoleName' : type === 'AWS::IAM::User' ? 'UserName' : 'GroupName';
  const defined = index.resourcesOfType(type)
    .filter((r) => accountOf(r.scope) === accountOf(stack) && index.render(r.scope, safeProperties(r)[nameProperty]) === rendered);
  if (defined.length > 0) return defined.flatMap((r) => holdersOf(index, r));
  const account = accountOf(stack);
  if (type === 'AWS::IAM::Group') return [{ label: `members of group ${labelOf(rendered)}`, account }];
  const kind = type === 'AWS::IAM::Role' ? 'role' : 'user';
  const arn = rendered.startsWith('arn:') ? rendered : `arn:${placeholder.pseudo('Partition')}:iam::${account}:${kind}/${rendered}`;
  return [{ label: `${kind} ${labelOf(arn)}`, arn, account }];
}

function safeProperties(resource: TemplateResource): Record<string, unknown> {
  try {
    return resource.properties();
  } catch {
    return {};
  }
}

/** One Allow statement of an IAM policy of the app that allows KMS actions, read once per index. */
interface KmsStatement {
  readonly source: PolicySource;
  readonly where: string;
  readonly actions: readonly string[];
  readonly notResource: boolean;
  readonly resources: readonly string[];
  readonly conditional: boolean;
  /** The resources of the app its resources name (a key's `\0R<uid>…\0`): only those keys can be covered by a literal reference. */
  readonly referenced: ReadonlySet<number>;
  /** Whether a resource is a pattern or a value not tied to one resource of the app: then any key may be covered. */
  readonly open: boolean;
}

/**
 * Every KMS-granting statement of the app, parsed once, indexed by the keys they reference, so that
 * the identity side of n keys stays linear in n (plus what every open statement adds to each key).
 */
function kmsStatements(index: TemplateIndex): { byKey: Map<number, KmsStatement[]>; open: KmsStatement[] } {
  return index.derive('report:kms-statements', () => {
    const byKey = new Map<number, KmsStatement[]>();
    const open: KmsStatement[] = [];
    for (const source of policySources(index)) {
      let document = source.document;
      if (document === undefined) continue;
      if (typeof document === 'string') {
        try {
          document = JSON.parse(document);
        } catch {
          continue;
        }
      }
      const stack = source.owner.scope;
      const policy = readPolicy(document, (value) => index.render(stack, value));
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow') continue;
        const matched = KEY_ACTIONS.filter((action) => statement.actions.some((p) => actionPatternRegExp(p).test(action)));
        const actions = statement.notAction ? KEY_ACTIONS.filter((a) => !matched.includes(a)) : matched;
        if (actions.length === 0) continue;
        const referenced = new Set<number>();
        let isOpen = statement.notResource || statement.resources.length === 0;
        for (const r of statement.resources) {
          const uids = [...r.matchAll(/\u0000R(\d+)\./g)].map((m) => Number(m[1]));
          uids.forEach((u) => referenced.add(u));
          if (uids.length === 0 || /[*?]|\u0000X/.test(r)) isOpen = true;
        }
        const entry: KmsStatement = {
          source,
          where: statement.where,
          actions,
          notResource: statement.notResource,
          resources: statement.resources,
          conditional: statement.conditions.length > 0,
          referenced,
          open: isOpen,
        };
        if (isOpen) open.push(entry);
        else for (const uid of referenced) byKey.set(uid, [...(byKey.get(uid) ?? []), entry]);
      }
    }
    return { byKey, open };
  });
}

/** The holders of a policy, computed once per index. */
function holdersOfSource(index: TemplateIndex, source: PolicySource): Holder[] {
  const memo = index.derive('report:holders', () => new Map<PolicySource, Holder[]>());
  let holders = memo.get(source);
  if (!holders) {
    holders = source.holders();
    memo.set(source, holders);
  }
  return holders;
}

/** The IAM policies of the app that allow KMS actions on the key (`keyArn` rendered), and what they achieve under `evaluator`. */
export function identityGrants(index: TemplateIndex, key: TemplateResource, keyArn: string, evaluator: KeyPolicyEvaluator): IdentityGrant[] {
  const { byKey, open } = kmsStatements(index);
  const candidates = [...(byKey.get(key.uid) ?? []), ...open];
  // In the order of the app's policies, whichever list a statement came from.
  const order = new Map(policySources(index).map((s, i) => [s, i]));
  candidates.sort((a, b) => order.get(a.source)! - order.get(b.source)! || statementIndex(a) - statementIndex(b));
  const grants: IdentityGrant[] = [];
  for (const statement of candidates) {
    const covering = statement.notResource
      ? (statement.resources.some((r) => r === '*' || r === keyArn) ? undefined : `NotResource ${statement.resources.map(labelOf).join(', ')}`)
      : statement.resources.find((r) => resourceCovers(r, keyArn));
    if (covering === undefined) continue;
    const { source } = statement;
    const holders = holdersOfSource(index, source);
    grants.push({
      policy: `${source.owner.scope.id}/${source.owner.logicalId}`,
      path: resourceLabel(source.owner),
      kind: source.kind,
      statement: statement.where,
      actions: statement.actions,
      resource: labelOf(covering),
      conditional: statement.conditional,
      principals: holders.map((holder) => ({ label: holder.label, effective: effectiveActions(evaluator, holder, statement.actions) })),
    });
  }
  return grants;
}

function statementIndex(statement: KmsStatement): number {
  return Number(/^Statement\[(\d+)\]/.exec(statement.where)?.[1] ?? 0);
}

/** The actions an IAM policy can really give `holder`: those the key policy lets its account decide. */
function effectiveActions(evaluator: KeyPolicyEvaluator, holder: Holder, actions: readonly string[]): string[] {
  const subject: Subject = holder.arn
    ? { kind: 'named', arn: holder.arn, account: holder.account, iam: 'kms-all' }
    : { kind: 'other-iam', account: holder.account, iam: 'kms-all' };
  return actions.filter((action) => {
    const contexts = action === 'kms:CreateGrant' ? [{ grantForAwsResource: true }, { grantForAwsResource: false }] : [{}];
    return contexts.some((context) => evaluator.evaluate(subject, action, context).decision !== 'denied');
  });
}
