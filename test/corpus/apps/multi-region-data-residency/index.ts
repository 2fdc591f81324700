// Entry module for the corpus test: what cdk/bin/multi-region-app.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import CertificateStack from './cdk/lib/certificate-stack';
import MultiRegionAppStack from './cdk/lib/multi-region-app-stack';
import StaticSiteStack from './cdk/lib/static-site-stack';

export function build(app: cdk.App): void {
  const REGIONS = process.env.REGIONS || 'ap-southeast-2, us-east-2, eu-west-1';
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  // The README sets SITEDOMAIN and HOSTEDZONEID before deploying; these are placeholders of that form.
  const siteDomain = process.env.SITEDOMAIN || 'example.com';
  const hostedZoneId = process.env.HOSTEDZONEID || 'Z0123456789ABCDEFGHIJ';

  const regionsToDeploy = REGIONS.split(',').map((r) => r.trim());

  // Global stack
  const certStack = new CertificateStack(app, 'CertStack-us-east-1', {
    env: {
      account,
      region: 'us-east-1',
    },
    crossRegionReferences: true,
    siteDomain,
    hostedZoneId,
  });

  // Regional stacks
  const primaryRegion = regionsToDeploy[0];

  regionsToDeploy.forEach((region) => {
    const regionCodesToReplicate = regionsToDeploy.filter((r) => r !== region);
    const siteSubDomain = region;

    new MultiRegionAppStack(app, `App-Backend-${region}`, {
      env: {
        account,
        region,
      },
      crossRegionReferences: true,
      primaryRegion,
      regionCodesToReplicate,
      siteDomain,
      siteSubDomain,
      hostedZoneId,
    });
  });

  // Deploy the static front-end only in the primary region
  // Note Cloudfront has global Points-of-Presence (PoP) to reduce latency globally
  const { certificate } = certStack;

  new StaticSiteStack(app, `App-Frontend-${primaryRegion}`, {
    env: {
      account,
      region: primaryRegion,
    },
    crossRegionReferences: true,
    siteDomain,
    hostedZoneId,
    certificate,
  });
}
