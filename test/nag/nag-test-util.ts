import { App, Stack, StackProps } from 'aws-cdk-lib';
import { KmsGuardrailsChecks, KmsGuardrailsChecksProps } from '../../src/nag';

/** One reported rule on one construct. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
}

/** Synthesizes the app (cross-stack references get their values) and runs the pack on it. */
export function findings(app: App, props?: KmsGuardrailsChecksProps): Finding[] {
  app.synth();
  const report = new KmsGuardrailsChecks(undefined, props).validateScope(app);
  // A rule that reports details names each finding `KMSG-X[detail]`: tests compare the plain ID, once per resource.
  const all = report.violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName.replace(/\[[\s\S]*\]$/, ''), path: r.constructPath ?? '' })));
  return all.filter((f, i) => all.findIndex((g) => g.rule === f.rule && g.path === f.path) === i);
}

/** The construct paths `rule` reports, sorted. */
export function pathsFor(app: App, rule: string, props?: KmsGuardrailsChecksProps): string[] {
  return findings(app, props).filter((f) => f.rule === rule).map((f) => f.path).sort();
}

/** The rules reported on the construct at `path` (the L1 resource path, e.g. `Stack/Key/Resource`). */
export function rulesAt(app: App, path: string, props?: KmsGuardrailsChecksProps): string[] {
  return findings(app, props).filter((f) => f.path === path).map((f) => f.rule).sort();
}

export function newStack(props?: StackProps): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack', props) };
}
