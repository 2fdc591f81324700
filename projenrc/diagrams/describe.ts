/**
 * The words of the pictures: what a policy statement allows, in a few words, and the settings of
 * a resource a security engineer looks for first. Each is read from the template, never assumed.
 */
import { Assembly, asArray, Resource, Statement } from './assembly';

/** What a key-policy statement lets its principals do with the key. */
export function kmsSummary(actions: readonly string[]): { admin: boolean; text: string } {
  const names = actions.map(a => a.replace(/^kms:/, ''));
  if (names.includes('*')) {return { admin: true, text: 'kms:* (everything)' };}
  if (names.includes('PutKeyPolicy')) {return { admin: true, text: 'administers' };}
  const grants = names.filter(n => /^(Create|List|Revoke)Grant$/.test(n));
  let use = names.filter(n => !/^(DescribeKey|Get|List)/.test(n) && !grants.includes(n));
  if (use.includes('ReEncryptFrom') && use.includes('ReEncryptTo')) {
    use = [...use.filter(n => !n.startsWith('ReEncrypt')), 'ReEncrypt*'];
  }
  const dataKeys = ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];
  if (dataKeys.every(n => use.includes(n))) {use = [...use.filter(n => !dataKeys.includes(n)), 'GenerateDataKey*'];}
  const order = (n: string) => {
    const at = CRYPTO_ORDER.indexOf(n.replace('*', ''));
    return at < 0 ? CRYPTO_ORDER.length : at;
  };
  use.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const parts = [...use];
  if (grants.includes('CreateGrant')) {parts.push(grants.length > 1 ? 'grants' : 'CreateGrant');}
  if (!parts.length) {parts.push(names.includes('DescribeKey') ? 'DescribeKey' : names.join(', '));}
  return { admin: false, text: parts.join(', ') };
}

const CRYPTO_ORDER = ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac'];

/** What a resource-policy or IAM-policy statement lets its principals do with the resource. */
export function dataSummary(actions: readonly string[]): string {
  const has = (re: RegExp) => actions.some(a => re.test(a) || a === '*');
  const rw = (read: boolean, write: boolean, what: string) =>
    read && write ? `read/write ${what}` : write ? `write ${what}` : read ? `read ${what}` : undefined;
  const service = actions[0]?.split(':')[0];
  const text =
    service === 's3' ? rw(has(/^s3:GetObject/), has(/^s3:(PutObject|DeleteObject|AbortMultipart)/), 'objects')
      : service === 'dynamodb' ? rw(has(/^dynamodb:(GetItem|BatchGetItem|Query|Scan)$/), has(/^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/), 'items')
        : service === 'sqs' ? [has(/^sqs:ReceiveMessage$/) && 'consume messages', has(/^sqs:SendMessage$/) && 'send messages'].filter(Boolean).join(', ')
          : service === 'logs' && has(/^logs:PutLogEvents$/) ? 'write log events'
            : service === 'sns' && has(/^sns:Publish$/) ? 'publish'
              : undefined;
  return text || (actions.length <= 3 ? actions.join(', ') : `${actions.slice(0, 2).join(', ')} and ${actions.length - 2} more`);
}

/** The condition values of a statement whose key ends in one of the given suffixes. */
export function conditionValues(statement: Statement, suffix: RegExp): unknown[] {
  return Object.values(statement.conditions).flatMap(op => Object.entries(op ?? {}).filter(([k]) => suffix.test(k)).flatMap(([, v]) => asArray(v)));
}

/** What a Deny-to-everyone statement of a resource policy enforces, when it is one we can name. */
export function denyFact(statement: Statement): string | undefined {
  const keys = Object.values(statement.conditions).flatMap(op => Object.entries(op ?? {}));
  if (keys.some(([k, v]) => k === 'aws:SecureTransport' && String(v) === 'false')) {return 'TLS only';}
  const tls = keys.find(([k]) => k === 's3:TlsVersion');
  if (tls) {return `TLS ≥ ${tls[1]}`;}
  return undefined;
}

/** What a Deny statement to everyone in a key policy forbids, as a label. */
export function denyToAnyone(statement: Statement): string {
  const keys = Object.values(statement.conditions).flatMap(op => Object.keys(op ?? {}));
  const unless = [
    keys.includes('kms:GrantIsForAWSResource') && 'for an AWS resource',
    keys.includes('aws:PrincipalIsAWSService') && 'asked by an AWS service',
  ].filter(Boolean);
  const actions = statement.actions.map(a => a.replace(/^kms:/, '')).join(', ');
  return `${actions} denied${unless.length ? ` unless ${unless.join(' or ')}` : ''}`;
}

/** The settings of a resource worth a line in its box. */
export function facts(asm: Assembly, r: Resource, policies: readonly Statement[]): string[] {
  const p = r.props as Record<string, any>;
  const retained = r.deletionPolicy === 'Retain' ? 'retained' : undefined;
  const tls = [...new Set(policies.filter(s => s.effect === 'Deny').map(denyFact).filter(Boolean))].join(' · ');
  const lines: Array<string | undefined> = [];
  switch (r.type) {
    case 'AWS::KMS::Key':
    case 'AWS::KMS::ReplicaKey': {
      lines.push(...aliasesOf(asm, r));
      if (p.KeySpec && p.KeySpec !== 'SYMMETRIC_DEFAULT') {lines.push(`${p.KeySpec} · ${p.KeyUsage}`);}
      if (r.type === 'AWS::KMS::ReplicaKey') {lines.push('rotates with the primary');} else {
        lines.push(p.MultiRegion ? 'multi-Region primary' : undefined);
        lines.push(p.EnableKeyRotation ? `rotates every ${p.RotationPeriodInDays ?? 365} days` : 'no automatic rotation');
      }
      lines.push(join(`${p.PendingWindowInDays ?? 30}-day deletion window`, retained));
      break;
    }
    case 'AWS::S3::Bucket': {
      const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
      const alg = sse?.ServerSideEncryptionByDefault?.SSEAlgorithm;
      lines.push(alg === 'aws:kms' ? `SSE-KMS${sse.BucketKeyEnabled ? ' with bucket key' : ''}` : alg === 'AES256' ? 'SSE-S3' : undefined);
      const blocked = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every(k => p.PublicAccessBlockConfiguration?.[k] === true);
      lines.push(join(p.VersioningConfiguration?.Status === 'Enabled' ? 'versioned' : undefined, blocked ? 'public access blocked' : undefined, p.ObjectLockEnabled ? 'object lock' : undefined));
      lines.push(join(tls, retained));
      break;
    }
    case 'AWS::SQS::Queue':
      lines.push(join(p.KmsMasterKeyId ? 'SSE-KMS' : p.SqsManagedSseEnabled ? 'SSE-SQS' : undefined, p.KmsDataKeyReusePeriodSeconds ? `data key reuse ${p.KmsDataKeyReusePeriodSeconds} s` : undefined));
      lines.push(join(p.FifoQueue ? 'FIFO' : undefined, p.MessageRetentionPeriod ? `retention ${Math.round(p.MessageRetentionPeriod / 86400)} days` : undefined));
      lines.push(join(tls, retained));
      break;
    case 'AWS::DynamoDB::GlobalTable': {
      const replicas = asArray(p.Replicas) as any[];
      const first = replicas[0] ?? {};
      lines.push(join(p.SSESpecification?.SSEType === 'KMS' ? 'SSE-KMS' : undefined, p.BillingMode === 'PAY_PER_REQUEST' ? 'on-demand' : undefined, retained));
      lines.push(join(first.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled ? 'point-in-time recovery' : undefined, first.DeletionProtectionEnabled ? 'deletion protection' : undefined));
      if (replicas.length > 1) {lines.push(`replicas: ${replicas.map(x => x.Region).join(', ')}`);}
      break;
    }
    case 'AWS::SNS::Topic':
      lines.push(join(p.KmsMasterKeyId ? 'SSE-KMS' : undefined, tls));
      break;
    case 'AWS::Logs::LogGroup':
      lines.push(join(p.KmsKeyId ? 'encrypted' : undefined, p.RetentionInDays ? `retention ${p.RetentionInDays} days` : undefined));
      break;
    case 'AWS::CloudTrail::Trail': {
      const selectors = asArray(p.AdvancedEventSelectors) as any[];
      const management = selectors.find(s => asArray(s.FieldSelectors).some((f: any) => f.Field === 'eventCategory' && asArray(f.Equals).includes('Management')));
      const kmsExcluded = management && asArray(management.FieldSelectors).some((f: any) => f.Field === 'eventSource' && asArray(f.NotEquals).includes('kms.amazonaws.com'));
      lines.push(management ? `management events, KMS ${kmsExcluded ? 'excluded' : 'included'}` : 'no management events');
      lines.push(join(p.EnableLogFileValidation ? 'log file validation' : undefined, p.IsMultiRegionTrail ? 'multi-Region' : undefined));
      break;
    }
    case 'AWS::Events::Rule':
      lines.push(p.ScheduleExpression);
      break;
    case 'AWS::IAM::Role':
      lines.push(trustOf(asm, r));
      break;
  }
  return lines.filter((l): l is string => !!l);
}

/** Who may assume a role, as a line. */
export function trustOf(asm: Assembly, role: Resource): string | undefined {
  const who = asm.statements(role.stack, (role.props as any).AssumeRolePolicyDocument).flatMap(s => s.principals).map(p =>
    p.kind === 'service' ? p.service.replace(/\.amazonaws\.com$/, '') : p.kind === 'account' ? `account ${p.account}` : p.kind === 'arn' ? p.arn : p.kind === 'anyone' ? 'anyone' : p.resource.path);
  return who.length ? `assumed by ${who.join(', ')}` : undefined;
}

function aliasesOf(asm: Assembly, key: Resource): string[] {
  return asm.resources
    .filter(a => a.type === 'AWS::KMS::Alias' && a.stack === key.stack && asm.referencesFrom(a, 'TargetKeyId').some(ref => ref.to === key))
    .map(a => String((a.props as any).AliasName));
}

function join(...parts: Array<string | undefined | false>): string | undefined {
  const kept = parts.filter(Boolean);
  return kept.length ? kept.join(' · ') : undefined;
}

/** Breaks a label between words so that no line is much wider than `width` characters. */
export function wrap(text: string, width = 30): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length + 1 <= width) {lines[last] += ` ${word}`;} else {lines.push(word);}
  }
  return lines.join('\n');
}
