// Entry module for the corpus test: what src/bin/tag-compliance.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { TagComplianceStack } from './lib/tag-compliance-stack';

export function build(app: cdk.App): void {
  new TagComplianceStack(app, 'TagComplianceStack', {});
}
