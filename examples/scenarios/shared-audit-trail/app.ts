/**
 * Scenario: several stacks of one account and Region share one KeyAuditTrail. The trail lives in
 * its own stack; each bucket, queue and table names it (`auditTrail`) and registers its data
 * events there, instead of getting a default trail per stack (CloudTrail allows 5 per Region).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KeyAuditTrail, KmsGuardrailsChecks } from 'cdk-kms-guardrails';

const app = new App();
const env = { account: '111111111111', region: 'us-east-1' };
// Roles managed outside the app, named by ARN: no reference between stacks.
const securityAdmins = new iam.ArnPrincipal(`arn:aws:iam::${env.account}:role/security-admins`);
const auditors = new iam.ArnPrincipal(`arn:aws:iam::${env.account}:role/auditors`);

// The trail first: the stacks below register with it. It deploys after them (its selectors name
// their buckets, queues and tables).
const auditStack = new Stack(app, 'Audit', { env });
const audit = new KeyAuditTrail(auditStack, 'KeyAudit', {
  trailName: 'key-audit',
  keyAdministrators: [securityAdmins],
});
// Alarm e-mails that SNS cannot deliver land in an encrypted queue (Serverless-SNSRedrivePolicy).
const undelivered = new EncryptedQueue(auditStack, 'UndeliveredAlarms', { keyAdministrators: [securityAdmins] });
undelivered.grantSnsDelivery(audit.alarmTopic);
audit.alarmTopic.addSubscription(new subscriptions.EmailSubscription('security-alerts@example.com', {
  deadLetterQueue: undelivered.queue,
}));
audit.grantReadLogFiles(auditors);

const ordersStack = new Stack(app, 'Orders', { env });
const documents = new EncryptedBucket(ordersStack, 'Documents', { keyAdministrators: [securityAdmins], auditTrail: audit });
const orderEvents = new EncryptedQueue(ordersStack, 'OrderEvents', { keyAdministrators: [securityAdmins], auditTrail: audit });
const ordersService = new iam.ArnPrincipal(`arn:aws:iam::${env.account}:role/orders-service`);
documents.grantReadWrite(ordersService);
orderEvents.grantSendMessages(ordersService);

const billingStack = new Stack(app, 'Billing', { env });
const invoices = new EncryptedTable(billingStack, 'Invoices', {
  partitionKey: { name: 'invoiceId', type: dynamodb.AttributeType.STRING },
  keyAdministrators: [securityAdmins],
  auditTrail: audit,
});
const billingService = new iam.ArnPrincipal(`arn:aws:iam::${env.account}:role/billing-service`);
invoices.grantReadWriteData(billingService);
orderEvents.grantConsumeMessages(billingService);

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
