#!/usr/bin/env node
import * as fs from 'fs';
import { compareReports, describeChange } from './compare';
import { toHtml, toMarkdown } from './format';
import { readReportOrAssembly, reportOfAssembly } from './report';

/**
 * `npx cdk-kms-guardrails report [cdk.out] [--format markdown|json|html] [--baseline <cdk.out or
 * report.json>] [--output <file>]`
 *
 * Exit status: 0 when the report is written (and no cell widened since the baseline), 1 when a
 * cell widened (every widening is listed on stderr), 2 on a usage or read error.
 */

const USAGE = `Usage: cdk-kms-guardrails report [cdk.out] [options]

Who can do what with every KMS key of a synthesized CDK app, from its cloud assembly.

Options:
  --format markdown|json|html   output format (default: markdown)
  --baseline <path>             an earlier cdk.out (or template, or report JSON): exit 1 when any
                                cell widens (new key, principal, action or service, depends → allowed)
  --output <file>               write the report to a file instead of stdout
  --help                        this text
`;

interface Options {
  assembly: string;
  format: 'markdown' | 'json' | 'html';
  baseline?: string;
  output?: string;
}

class UsageError extends Error {}

function parse(args: readonly string[]): Options | 'help' {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command !== 'report') throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
  const options: Options = { assembly: 'cdk.out', format: 'markdown' };
  let positional: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--format': {
        const format = value();
        if (format !== 'markdown' && format !== 'json' && format !== 'html') throw new UsageError(`--format must be markdown, json or html, got '${format}'`);
        options.format = format;
        break;
      }
      case '--baseline':
        options.baseline = value();
        break;
      case '--output':
      case '-o':
        options.output = value();
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option '${flag}'`);
        if (positional !== undefined) throw new UsageError(`one assembly only, got '${positional}' and '${flag}'`);
        positional = flag;
    }
  }
  if (positional !== undefined) options.assembly = positional;
  return options;
}

/** Runs the command; returns the exit status. Output goes through `write` / `error` (stdout / stderr). */
export function main(args: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t),
  error: (text: string) => void = (t) => process.stderr.write(t)): number {
  let options: Options | 'help';
  try {
    options = parse(args);
  } catch (e) {
    error(`cdk-kms-guardrails: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    write(USAGE);
    return 0;
  }
  try {
    const report = reportOfAssembly(options.assembly);
    const comparison = options.baseline !== undefined ? compareReports(readReportOrAssembly(options.baseline), report) : undefined;
    const text = options.format === 'json'
      ? `${JSON.stringify(comparison ? { ...report, comparison: { baseline: options.baseline, ...comparison } } : report, null, 2)}\n`
      : options.format === 'html' ? toHtml(report, comparison) : toMarkdown(report, comparison);
    if (options.output !== undefined) fs.writeFileSync(options.output, text);
    else write(text);
    for (const warning of report.warnings) error(`warning: ${warning}\n`);
    if (comparison) {
      if (comparison.widenings.length > 0) {
        error(`Key access widened in ${comparison.widenings.length} cell(s) since ${options.baseline}:\n`);
        for (const w of comparison.widenings) error(`  ${describeChange(w)}\n`);
        return 1;
      }
      error(`No key access widened since ${options.baseline} (${comparison.narrowings.length} narrowing(s)).\n`);
    }
    return 0;
  } catch (e) {
    error(`cdk-kms-guardrails: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  // A reader that stops early (`| head`) is no error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2));
}
