// Entry module for the corpus test: what bin/aws_backup_s3.ts of the original does, registered on the given app.
import * as cdk from 'aws-cdk-lib';
import { AwsBackupS3Stack } from './lib/aws-backup-s3-stack';

export function build(app: cdk.App): void {
  new AwsBackupS3Stack(app, 'AwsBackupS3Stack', {});
}
