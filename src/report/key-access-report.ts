import { Stage } from 'aws-cdk-lib';
import { compareReports, describeChange, AccessChange } from './compare';
import { toHtml, toMarkdown } from './format';
import { KeyAccessReportData } from './model';
import { parseReport, readReportOrAssembly, reportOfAssembly } from './report';

/** One cell of the access matrix that differs between a baseline and the current report. */
export interface KeyAccessChange {
  /**
   * What kind of change: `new key`, `new principal`, `new action`, `another service`,
   * `depends → allowed` (each a widening), or `narrower`.
   */
  readonly kind: string;
  /** The key: `stack id/logical id`. */
  readonly key: string;
  /** The key's construct path. */
  readonly keyPath: string;
  /** Who: the matrix row, as the report names it. */
  readonly principal: string;
  /** The matrix column, e.g. `Decrypt` or `Change policy`. */
  readonly column: string;
  /** The KMS action, e.g. `kms:Decrypt`. */
  readonly action: string;
  /** The request context: `direct`, `via <service>`, `grant for an AWS resource`, ... */
  readonly context: string;
  /** `allowed`, `depends` or `denied` in the baseline. */
  readonly before: string;
  /** `allowed`, `depends` or `denied` now. */
  readonly after: string;
  /** The change in one line. */
  readonly description: string;
}

/** What changed between a baseline report and the current one. */
export class KeyAccessComparison {
  /** @internal */
  public static _of(widenings: AccessChange[], narrowings: AccessChange[]): KeyAccessComparison {
    return new KeyAccessComparison(widenings, narrowings);
  }

  /** Every cell that is wider than in the baseline. */
  public readonly widenings: KeyAccessChange[];
  /** Every cell that is narrower than in the baseline. */
  public readonly narrowings: KeyAccessChange[];

  private constructor(widenings: AccessChange[], narrowings: AccessChange[]) {
    this.widenings = widenings.map(toChange);
    this.narrowings = narrowings.map(toChange);
  }

  /** Whether no access widened (narrowings pass). */
  public get passed(): boolean {
    return this.widenings.length === 0;
  }

  /** The widenings, one per line; the empty string when none. */
  public describeWidenings(): string {
    return this.widenings.map((w) => w.description).join('\n');
  }
}

function toChange(change: AccessChange): KeyAccessChange {
  return {
    kind: change.kind,
    key: change.key,
    keyPath: change.keyPath,
    principal: change.rowLabel,
    column: change.column,
    action: change.action,
    context: change.context,
    before: change.before,
    after: change.after,
    description: describeChange(change),
  };
}

/**
 * Who can do what with every KMS key of a CDK app (`AWS::KMS::Key` and `AWS::KMS::ReplicaKey`),
 * decided offline from the synthesized templates by the library's key policy evaluator — the same
 * report as `npx cdk-kms-guardrails report`. Use it in tests to fail when access widens:
 *
 * ```ts fixture=app
 * import { KeyAccessReport } from 'cdk-kms-guardrails';
 *
 * const report = KeyAccessReport.fromStage(app);
 * KeyAccessReport.assertNoWidening(report, KeyAccessReport.fromFile('test/key-access.json'));
 * ```
 */
export class KeyAccessReport {
  /**
   * The report of a cloud assembly directory (`cdk.out`, with stages and nested stacks), or of one
   * template file.
   */
  public static fromAssembly(directory: string): KeyAccessReport {
    return new KeyAccessReport(reportOfAssembly(directory));
  }

  /** The report of an app or stage: synthesizes it and reads its assembly. */
  public static fromStage(stage: Stage): KeyAccessReport {
    return new KeyAccessReport(reportOfAssembly(stage.synth().directory));
  }

  /** A report written earlier with `toJson()` or `--format json`. */
  public static fromJson(json: string): KeyAccessReport {
    return new KeyAccessReport(parseReport(json, 'the JSON given'));
  }

  /** A report JSON file, or a cloud assembly directory or template file (whatever `--baseline` accepts). */
  public static fromFile(location: string): KeyAccessReport {
    return new KeyAccessReport(readReportOrAssembly(location));
  }

  /**
   * Throws when `current` widens any cell of `baseline`, with every widening in the message.
   * Narrowings pass.
   */
  public static assertNoWidening(current: KeyAccessReport, baseline: KeyAccessReport): void {
    const comparison = current.compareWith(baseline);
    if (!comparison.passed) {
      throw new Error(`Key access widened in ${comparison.widenings.length} cell(s) since the baseline:\n${comparison.describeWidenings()}`);
    }
  }

  private constructor(private readonly data: KeyAccessReportData) {}

  /** How many keys the report covers. */
  public get keyCount(): number {
    return this.data.keys.length;
  }

  /** What could not be read from the assembly. */
  public get warnings(): string[] {
    return [...this.data.warnings];
  }

  /** Every cell of this report that is wider, or narrower, than in `baseline`. */
  public compareWith(baseline: KeyAccessReport): KeyAccessComparison {
    const { widenings, narrowings } = compareReports(baseline.data, this.data);
    return KeyAccessComparison._of(widenings, narrowings);
  }

  /** The report as JSON (schema: docs/key-access-report.md), indented, with a final newline. */
  public toJson(): string {
    return `${JSON.stringify(this.data, null, 2)}\n`;
  }

  /** The report as Markdown, for a pull-request comment. */
  public toMarkdown(): string {
    return toMarkdown(this.data);
  }

  /** The report as a self-contained HTML page. */
  public toHtml(): string {
    return toHtml(this.data);
  }

  /** @internal */
  public _data(): KeyAccessReportData {
    return this.data;
  }
}
