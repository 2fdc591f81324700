import * as fs from 'fs';
import * as path from 'path';
import { readAssembly } from './assembly';
import { identityGrants, resourceLabel } from './identity';
import { accessMatrix, columnsFor, PrincipalNamer } from './matrix';
import { KeyAccess, KeyAccessReportData, REPORT_SCHEMA } from './model';
import { readPolicy } from '../policy/document';
import { KeyPolicyEvaluator } from '../policy/evaluator';
import { labelOf } from '../policy/invariants';
import { isIntrinsic, placeholder } from '../template/render';
import { StackTemplateSource, TemplateIndex, TemplateResource } from '../template/template-index';

const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'];
const USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];

/** The report of a cloud assembly directory (or one template file). */
export function reportOfAssembly(location: string): KeyAccessReportData {
  const { stacks, warnings } = readAssembly(location);
  return reportOfTemplates(stacks, location, warnings);
}

/** The report of stack templates: every AWS::KMS::Key and AWS::KMS::ReplicaKey, in the order of the stacks. */
export function reportOfTemplates(sources: readonly StackTemplateSource[], source: string, warnings: readonly string[] = []): KeyAccessReportData {
  const index = new TemplateIndex(sources);
  const namer = principalNamer(index);
  const keys: KeyAccess[] = [];
  const notes = [...warnings];
  for (const stack of index.stacks) {
    for (const resource of stack.resources.values()) {
      if (!KEY_TYPES.includes(resource.type)) continue;
      try {
        keys.push(keyAccess(index, resource, namer));
      } catch (e) {
        notes.push(`${resource.scope.id}/${resource.logicalId}: ${(e as Error).message}`);
      }
    }
  }
  return { schema: REPORT_SCHEMA, source, keys, warnings: notes };
}

function keyAccess(index: TemplateIndex, resource: TemplateResource, namer: PrincipalNamer): KeyAccess {
  const stack = resource.scope;
  const env = { account: stack.account ?? placeholder.pseudo('AccountId'), region: stack.region ?? placeholder.pseudo('Region') };
  const properties = resource.properties();
  const written = properties.KeyPolicy;
  let document: unknown = written;
  if (typeof written === 'string') {
    try {
      document = JSON.parse(written);
    } catch {
      // A policy that is no JSON: one statement that may be anything, so every cell depends.
      document = { Statement: { 'Fn::Unreadable': written } };
    }
  }
  // A policy chosen at deployment (Fn::If, a parameter): one statement that may be anything.
  if (isIntrinsic(document)) document = { Statement: document };
  const policySource = written === undefined && resource.type === 'AWS::KMS::Key' ? 'kms-default' : 'template';
  if (policySource === 'kms-default') {
    // KMS gives a key created without a policy its default policy: the account root with kms:*.
    document = { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${env.account}:root` }, Action: 'kms:*', Resource: '*' }] };
  }
  const policy = readPolicy(document ?? {}, (value) => index.render(stack, value));
  const usage = usageOf(index, resource);
  const evaluator = new KeyPolicyEvaluator(policy, env);
  const keyArn = index.render(stack, { 'Fn::GetAtt': [resource.logicalId, 'Arn'] })!;
  return {
    id: `${stack.id}/${resource.logicalId}`,
    stack: stack.id,
    logicalId: resource.logicalId,
    path: resourceLabel(resource),
    type: resource.type,
    account: labelOf(env.account),
    region: labelOf(env.region),
    usage,
    policySource,
    unresolved: policy.unresolved.map(labelOf),
    columns: columnsFor(usage),
    rows: accessMatrix(policy, env, usage, namer),
    identityPolicies: identityGrants(index, resource, keyArn, evaluator),
  };
}

/** The key usage: KeyUsage as written; a replica's is its primary's. `unknown` when not known before deployment. */
function usageOf(index: TemplateIndex, resource: TemplateResource, depth = 0): string {
  const properties = resource.properties();
  if (resource.type === 'AWS::KMS::ReplicaKey') {
    const primaryArn = index.render(resource.scope, properties.PrimaryKeyArn);
    const primary = primaryArn === undefined ? undefined : index.referencedResources(primaryArn).find((r) => KEY_TYPES.includes(r.type));
    return primary && depth < 2 ? usageOf(index, primary, depth + 1) : 'unknown';
  }
  if (properties.KeyUsage === undefined) return 'ENCRYPT_DECRYPT';
  const usage = index.render(resource.scope, properties.KeyUsage);
  return usage !== undefined && USAGES.includes(usage) ? usage : 'unknown';
}

/**
 * Names principals by what the app says of them: a role or user of the app by its construct path
 * (its name is often generated at deployment), anyone else by the ARN as written.
 */
function principalNamer(index: TemplateIndex): PrincipalNamer {
  return {
    name(arn: string) {
      const resource = index.referencedResources(arn).find((r) => r.type === 'AWS::IAM::Role' || r.type === 'AWS::IAM::User');
      if (resource) {
        const kind = resource.type === 'AWS::IAM::Role' ? 'role' : 'user';
        return {
          id: `principal:${resource.scope.id}/${resource.logicalId}`,
          label: `${kind} ${resourceLabel(resource)}`,
          resource: { stack: resource.scope.id, logicalId: resource.logicalId },
        };
      }
      const roleOfApp = literalRole(index, arn);
      if (roleOfApp) {
        return {
          id: `principal:${roleOfApp.scope.id}/${roleOfApp.logicalId}`,
          label: `${roleOfApp.type === 'AWS::IAM::Role' ? 'role' : 'user'} ${resourceLabel(roleOfApp)} (${labelOf(arn)})`,
          resource: { stack: roleOfApp.scope.id, logicalId: roleOfApp.logicalId },
        };
      }
      const label = labelOf(arn);
      return { id: `principal:${label}`, label };
    },
  };
}

/** A role or user of the app whose ARN, spelled out from a literal name, is `arn`. */
function literalRole(index: TemplateIndex, arn: string): TemplateResource | undefined {
  const byArn = index.derive('report:identities-by-arn', () => {
    const map = new Map<string, TemplateResource>();
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User']) {
      for (const r of index.resourcesOfType(type)) {
        const rendered = index.render(r.scope, { 'Fn::GetAtt': [r.logicalId, 'Arn'] });
        if (rendered !== undefined && !rendered.includes('\u0000R')) map.set(rendered, r);
      }
    }
    return map;
  });
  return byArn.get(arn);
}

/** A report JSON file, or an assembly (directory, manifest or template) to report on. */
export function readReportOrAssembly(location: string): KeyAccessReportData {
  if (fs.existsSync(location) && fs.statSync(location).isFile() && path.basename(location) !== 'manifest.json') {
    const text = fs.readFileSync(location, 'utf-8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`${location}: not JSON (${(e as Error).message})`);
    }
    if (parsed !== null && typeof parsed === 'object' && 'schema' in parsed) return parseReport(text, location);
  }
  return reportOfAssembly(location);
}

export function parseReport(json: string, where: string): KeyAccessReportData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message})`);
  }
  const data = parsed as Partial<KeyAccessReportData> | null;
  if (!data || data.schema !== REPORT_SCHEMA || !Array.isArray(data.keys)) {
    throw new Error(`${where}: not a key access report of schema ${REPORT_SCHEMA} (schema: ${JSON.stringify(data?.schema)})`);
  }
  return data as KeyAccessReportData;
}
