/**
 * Scenario: a partner in another account reads documents from our bucket and sends orders to our
 * queue. A cross-account grant needs both sides: our bucket, queue and key policies name the
 * partner's role (stack Producer, account 111111111111), and the partner's account allows that
 * role the same actions in an IAM policy (stack Partner, account 222222222222).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { EncryptedBucket, EncryptedQueue, KmsGuardrailsChecks, SeparatedDutyKey } from 'cdk-kms-guardrails';

const app = new App();
const region = 'us-east-1';
const PRODUCER = '111111111111';
const PARTNER = '222222222222';
// Stacks of different accounts cannot reference each other: both sides spell the names out.
const BUCKET_NAME = `shared-documents-${PRODUCER}`;
const QUEUE_NAME = 'partner-orders';
const PARTNER_ROLE_NAME = 'order-partner';

const producer = new Stack(app, 'Producer', { env: { account: PRODUCER, region } });
// A role of another account, named by an ARN whose account is a literal: the key policy must name
// the account KMS will see (kms:CallerAccount).
const partnerRole = iam.Role.fromRoleArn(producer, 'PartnerRole', `arn:aws:iam::${PARTNER}:role/${PARTNER_ROLE_NAME}`);
const exchangeKey = new SeparatedDutyKey(producer, 'PartnerExchangeKey', {
  alias: 'partner-exchange',
  description: 'Data shared with the partner account',
  administrators: [new iam.ArnPrincipal(`arn:aws:iam::${PRODUCER}:role/security-admins`)],
});
const documents = new EncryptedBucket(producer, 'SharedDocuments', { bucketName: BUCKET_NAME, encryptionKey: exchangeKey });
const partnerOrders = new EncryptedQueue(producer, 'PartnerOrders', { queueName: QUEUE_NAME, encryptionKey: exchangeKey });
// Bucket policy and queue policy name the role; the key policy lets it use the key only through
// S3 and SQS of us-east-1, with kms:CallerAccount 222222222222. Other roles of that account get nothing.
documents.grantRead(partnerRole);
partnerOrders.grantSendMessages(partnerRole);

// The partner's side: its role, allowed the same actions by its own account.
const partner = new Stack(app, 'Partner', { env: { account: PARTNER, region } });
const role = new iam.Role(partner, 'OrderPartner', {
  roleName: PARTNER_ROLE_NAME,
  assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
  description: 'Reads shared documents and sends orders to the producer account',
});
const access = new iam.ManagedPolicy(partner, 'ProducerAccess', {
  roles: [role],
  statements: [
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${BUCKET_NAME}`] }),
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${BUCKET_NAME}/*`] }),
    new iam.PolicyStatement({
      actions: ['sqs:SendMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
      resources: [`arn:aws:sqs:${region}:${PRODUCER}:${QUEUE_NAME}`],
    }),
    // The key ID is generated at deployment in the producer's account: name its keys, and only
    // through the two services.
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [`arn:aws:kms:${region}:${PRODUCER}:key/*`],
      conditions: { StringEquals: { 'kms:ViaService': [`s3.${region}.amazonaws.com`, `sqs.${region}.amazonaws.com`] } },
    }),
  ],
});
// The partner's wildcards are inherent. `Validations.of(access).acknowledge({ id, reason })` does
// this on aws-cdk-lib 2.276, but 2.262 (the lowest this library supports) rejects ids with more
// than one '::' (an S3 ARN has ':::'): record the acknowledgement as it would.
const acknowledge = (id: string, reason: string) => access.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
acknowledge(`AwsSolutions-IAM5[Resource::arn:aws:s3:::${BUCKET_NAME}/*]`,
  'The role reads the objects of the producer\'s shared bucket; the producer\'s bucket policy decides which');
acknowledge(`AwsSolutions-IAM5[Resource::arn:aws:kms:${region}:${PRODUCER}:key/*]`,
  'The producer\'s key ID is generated at deployment; use only through S3 and SQS of us-east-1 (kms:ViaService), of keys whose policy names this role');

// Every pack: any finding fails `cdk synth`.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R4Checks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new ServerlessChecks(app),
  new KmsGuardrailsChecks(app),
);
