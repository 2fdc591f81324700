/**
 * Scenario: a DynamoDB global table in two Regions under one multi-Region key set. The primary
 * key lives in us-east-1, its replica in eu-west-1 (each created from a stack of its own Region),
 * the table in a third stack that deploys after both keys exist, and a trail for the replica's
 * data events in a fourth.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { EncryptedTable, KeyAuditTrail, KmsGuardrailsChecks, MultiRegionKeySet } from 'cdk-kms-guardrails';

const app = new App();
const account = '111111111111';
// The replica stack receives the primary key's ARN through CDK's cross-Region references.
const regional = (id: string, region: string) => new Stack(app, id, { env: { account, region }, crossRegionReferences: true });
const keysUsEast1 = regional('CustomerKeysUsEast1', 'us-east-1');
const keysEuWest1 = regional('CustomerKeysEuWest1', 'eu-west-1');

// One policy, written into the primary key and into the replica: the same administrators and
// users in every Region. Principals named by ARN read the same in every Region.
const keys = new MultiRegionKeySet(keysUsEast1, 'CustomerKeys', {
  alias: 'customers',
  description: 'Customer profiles, in every Region of the global table',
  replicaStacks: [keysEuWest1],
  administrators: [new iam.ArnPrincipal(`arn:aws:iam::${account}:role/security-admins`)],
});

// The table's replica in eu-west-1 is encrypted with the eu-west-1 key of the set.
const tables = regional('CustomerTables', 'us-east-1');
const customers = new EncryptedTable(tables, 'Customers', {
  partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
  keySet: keys,
});
// Table resource policy (every replica) and key policy (every key of the set), through DynamoDB.
customers.grantReadWriteData(new iam.ArnPrincipal(`arn:aws:iam::${account}:role/customer-service`));
customers.grantReadData(new iam.ArnPrincipal(`arn:aws:iam::${account}:role/customer-support`));

// Data events are regional. The table registers with the trail of its own stack (us-east-1);
// reads and writes of the eu-west-1 replica need a trail in eu-west-1, which deploys after the table.
const auditEuWest1 = regional('AuditEuWest1', 'eu-west-1');
new KeyAuditTrail(auditEuWest1, 'KeyAudit').addTable(customers.table.replica('eu-west-1'));

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
