/**
 * The example app: what a platform team in a regulated account writes. It imports the library by
 * its package name and registers every cdk-nag pack, so `cdk synth` fails on any finding.
 */
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { Construct } from 'constructs';
import { SeparatedDutyKey } from 'cdk-kms-guardrails';

/** Example account and Region: stacks are environment-bound, as multi-Region sets require. */
export const EXAMPLE_ENV = { account: '111111111111', region: 'us-east-1' };

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

/** Builds the example app; `cdk synth` runs it, and the snapshot test synthesizes it in-process. */
export function buildExampleApp(app: App = new App()): App {
  new KeysStack(app, 'KmsGuardrailsKeys', { env: EXAMPLE_ENV });
  const validations = Validations.of(app);
  validations.addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R4Checks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new ServerlessChecks(app),
  );
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
