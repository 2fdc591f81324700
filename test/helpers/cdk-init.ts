import * as fs from 'fs';
import * as path from 'path';

/**
 * The feature flags a new app gets from today's `cdk init` (the installed CLI's
 * recommended-feature-flags file), e.g. `"@aws-cdk/core:defaultCrossStackReferences": "weak"`.
 */
export function cdkInitContext(): Record<string, unknown> {
  const cli = path.dirname(require.resolve('aws-cdk/package.json'));
  return JSON.parse(fs.readFileSync(path.join(cli, 'lib', 'init-templates', '.recommended-feature-flags.json'), 'utf-8'));
}
