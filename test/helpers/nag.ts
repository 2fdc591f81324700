import { App, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';

/** The six built-in cdk-nag packs. */
export function builtInPacks(app?: App): NagPack[] {
  return [
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R4Checks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new ServerlessChecks(app),
  ];
}

/** The six built-in packs, registered on the app: any finding makes `app.synth()` throw. */
export function registerBuiltInPacks(app: App): NagPack[] {
  const packs = builtInPacks(app);
  Validations.of(app).addPlugins(...packs);
  return packs;
}

/** Synthesizes the app and returns each pack's findings, keyed by pack name (all empty when clean). */
export function findingsByPack(app: App, packs: NagPack[]): Record<string, unknown[]> {
  app.synth();
  return Object.fromEntries(packs.map(pack => [pack.readPackName, pack.validateScope(app).violations]));
}

/** What `findingsByPack` returns for a clean app. */
export function noFindings(packs: NagPack[]): Record<string, unknown[]> {
  return Object.fromEntries(packs.map(pack => [pack.readPackName, []]));
}
