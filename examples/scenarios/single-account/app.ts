/**
 * Scenario: one application in one account and Region. Its documents and orders live under one
 * SeparatedDutyKey that the security team administers and can never use; its queue has a key of
 * its own. The application's roles reach the data only through S3, SQS and DynamoDB.
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
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KmsGuardrailsChecks, SeparatedDutyKey } from 'cdk-kms-guardrails';

const app = new App();
const stack = new Stack(app, 'OrdersApp', { env: { account: '111111111111', region: 'us-east-1' } });

const securityAdmins = new iam.Role(stack, 'SecurityAdmins', {
  assumedBy: new iam.AccountRootPrincipal(),
  description: 'Administers the order keys; can never use them',
});
const api = new iam.Role(stack, 'OrdersApi', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  description: 'Takes orders',
});
const fulfilment = new iam.Role(stack, 'Fulfilment', {
  assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
  description: 'Ships orders',
});

// One key for the order data at rest. Its policy names who administers it; every grant below
// adds a user, limited to the service the grant is for (kms:ViaService).
const orderData = new SeparatedDutyKey(stack, 'OrderDataKey', {
  alias: 'order-data',
  description: 'Order documents and the orders table',
  administrators: [securityAdmins],
});
const documents = new EncryptedBucket(stack, 'Documents', { encryptionKey: orderData });
const orders = new EncryptedTable(stack, 'Orders', {
  encryptionKey: orderData,
  partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
});
// Without `encryptionKey`, a construct creates its own key (alias/orders-app/order-events here).
const orderEvents = new EncryptedQueue(stack, 'OrderEvents', { keyAdministrators: [securityAdmins] });

documents.grantPut(api);
orderEvents.grantSendMessages(api);
orders.grantReadWriteData(api);

documents.grantRead(fulfilment);
orderEvents.grantConsumeMessages(fulfilment);
orders.grantReadData(fulfilment);

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
