/**
 * The example app: what a platform team in a regulated account writes. It imports the library by
 * its package name and registers every cdk-nag pack, so `cdk synth` fails on any finding.
 */
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { Construct } from 'constructs';
import { EncryptedBucket, EncryptedQueue, EncryptedTable, KmsGuardrailsChecks, MultiRegionKeySet, SeparatedDutyKey } from 'cdk-kms-guardrails';

/** Example account and Region: stacks are environment-bound, as multi-Region sets require. */
export const EXAMPLE_ENV = { account: '111111111111', region: 'us-east-1' };
const env = (region: string) => ({ account: EXAMPLE_ENV.account, region });
/** The account of a partner that reads order documents. */
const PARTNER_ACCOUNT = '222222222222';

/** Feature flags of a current `cdk init` app that the example relies on. */
export const EXAMPLE_CONTEXT = {
  // SNS subscriptions of encrypted queues scope the key statement to the topic (aws:SourceArn).
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
};

export class KeysStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);

    const securityAdmins = new iam.Role(this, 'SecurityAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Administers the keys; can never use them',
    });
    const ordersService = new iam.Role(this, 'OrdersService', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Encrypts and decrypts order data',
    });
    const reporting = new iam.Role(this, 'Reporting', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Reads order data',
    });

    const orders = new SeparatedDutyKey(this, 'OrdersKey', {
      alias: 'orders',
      description: 'Order data',
      administrators: [securityAdmins],
      users: [ordersService],
    });
    orders.grantDecrypt(reporting);

    const tokens = new SeparatedDutyKey(this, 'TokenMacKey', {
      alias: 'session-tokens',
      keySpec: kms.KeySpec.HMAC_256,
      administrators: [securityAdmins],
    });
    tokens.grantGenerateMac(ordersService);
    tokens.grantVerifyMac(reporting);

    const signing = new SeparatedDutyKey(this, 'ReleaseSigningKey', {
      alias: 'release-signing',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      administrators: [securityAdmins],
    });
    signing.grantSign(ordersService);
    signing.grantVerify(reporting);
  }
}

/** Order data in one Region: a bucket, a queue fed by SNS and EventBridge, and a table. */
export class DataStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);

    const securityAdmins = new iam.Role(this, 'SecurityAdmins', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Administers the data keys; can never use them',
    });
    const worker = new iam.Role(this, 'OrdersWorker', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Processes orders',
    });
    const auditor = new iam.Role(this, 'Auditor', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Reads order documents',
    });

    const documents = new EncryptedBucket(this, 'OrderDocuments', { keyAdministrators: [securityAdmins] });
    documents.grantReadWrite(worker);
    documents.grantRead(auditor);
    // A partner account reads the documents through S3 only: the bucket policy and the key policy
    // name its role (kms:CallerAccount is the partner's account); the partner's administrators
    // allow the role s3:GetObject and kms:Decrypt on their side.
    documents.grantRead(iam.Role.fromRoleArn(this, 'PartnerReader', `arn:aws:iam::${PARTNER_ACCOUNT}:role/order-documents-reader`));

    const orderEvents = new EncryptedQueue(this, 'OrderEvents', { keyAdministrators: [securityAdmins], maxReceiveCount: 5 });
    orderEvents.grantConsumeMessages(worker);
    // A role managed outside this app: granted in the queue policy and the key policy, never
    // through an inline policy on the role.
    orderEvents.grantConsumeMessages(iam.Role.fromRoleName(this, 'BillingConsumer', 'billing-consumer'));

    // Deliveries that fail (SNS, EventBridge) land in their own encrypted queue.
    const deliveryFailures = new EncryptedQueue(this, 'DeliveryFailures', { keyAdministrators: [securityAdmins] });
    const topicKey = new SeparatedDutyKey(this, 'OrderTopicKey', { alias: 'order-topic', administrators: [securityAdmins] });
    const topic = new sns.Topic(this, 'OrderTopic', { masterKey: topicKey, enforceSSL: true });
    topic.addSubscription(new subs.SqsSubscription(orderEvents.queue, { deadLetterQueue: deliveryFailures.queue }));
    deliveryFailures.grantSnsDelivery(topic);
    const reconciliation = new events.Rule(this, 'HourlyReconciliation', {
      ruleName: 'orders-hourly-reconciliation',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.SqsQueue(orderEvents.queue, { deadLetterQueue: deliveryFailures.queue })],
    });
    deliveryFailures.grantEventBridgeDelivery(reconciliation);

    const orders = new EncryptedTable(this, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
      keyAdministrators: [securityAdmins],
    });
    orders.grantReadWriteData(worker);
  }
}

/**
 * Customer data in three Regions: one multi-Region key set (primary in us-east-1, replicas in
 * eu-west-1 and ap-southeast-2) and a global table on it, in its own stack that deploys last.
 */
export function addGlobalCustomers(app: App): Stack[] {
  const regional = (id: string, region: string) => new Stack(app, id, { env: env(region), crossRegionReferences: true });
  const primary = regional('CustomerKeysUsEast1', 'us-east-1');
  const replicas = [regional('CustomerKeysEuWest1', 'eu-west-1'), regional('CustomerKeysApSoutheast2', 'ap-southeast-2')];
  const keys = new MultiRegionKeySet(primary, 'CustomerKeys', {
    alias: 'customers',
    replicaStacks: replicas,
    administrators: [new iam.ArnPrincipal(`arn:aws:iam::${EXAMPLE_ENV.account}:role/security-admins`)],
  });
  const tables = regional('CustomerTables', 'us-east-1');
  const customers = new EncryptedTable(tables, 'Customers', {
    partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
    keySet: keys,
  });
  customers.grantReadData(new iam.ArnPrincipal(`arn:aws:iam::${EXAMPLE_ENV.account}:role/customer-service`));
  return [primary, ...replicas, tables];
}

/** Builds the example app; `cdk synth` runs it, and the snapshot test synthesizes it in-process. */
export function buildExampleApp(app: App = new App({ context: EXAMPLE_CONTEXT })): App {
  new KeysStack(app, 'KmsGuardrailsKeys', { env: EXAMPLE_ENV });
  new DataStack(app, 'KmsGuardrailsData', { env: EXAMPLE_ENV });
  addGlobalCustomers(app);
  const validations = Validations.of(app);
  validations.addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R4Checks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new ServerlessChecks(app),
    new KmsGuardrailsChecks(app),
  );
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
