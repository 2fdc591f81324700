import { AccessChange, Comparison, describeChange } from './compare';
import { cellOf, KeyAccess, KeyAccessReportData, MatrixCell, MatrixRow } from './model';

/**
 * The report as people read it: Markdown for a pull-request comment, a self-contained HTML page
 * (no script, no external resource). Both show, per key, the matrix (who × what), the notes that
 * say on what each "depends" depends, and the IAM policies of the app that grant KMS actions.
 */

/** Markdown is read where emoji render (a pull request); the HTML page uses marks every text font has. */
const EMOJI: Symbols = { allowed: '✅', depends: '❓', denied: '—' };
const MARKS: Symbols = { allowed: '✓', depends: '?', denied: '—' };
type Symbols = Record<'allowed' | 'depends' | 'denied', string>;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => String(n).split('').map((d) => SUPERSCRIPT[Number(d)]).join('');

/** A service endpoint as a reader names it: `s3.us-east-1.amazonaws.com` → `s3`. */
function shortService(service: string, onlyService: boolean): string {
  if (service === 'another service') return onlyService ? 'any service' : 'any other service';
  return service.replace(/\.amazonaws\.com(\.cn)?$/, '').replace(/\.(<this Region>|[a-z]{2}(-[a-z]+)+-\d)$/, '');
}

/** Footnotes of one key: each distinct "depends on" list, numbered in order of first use. */
class Notes {
  public readonly texts: string[] = [];
  public number(row: MatrixRow, actions: readonly string[], contexts: (c: string) => boolean): number | undefined {
    const reasons = new Set<string>();
    for (const e of row.access) {
      if (e.decision === 'depends' && actions.includes(e.action) && contexts(e.context)) e.dependsOn?.forEach((d) => reasons.add(d));
    }
    if (reasons.size === 0) return undefined;
    const text = [...reasons].join('; ');
    let i = this.texts.indexOf(text);
    if (i < 0) i = this.texts.push(text) - 1;
    return i + 1;
  }
}

interface CellView {
  readonly decision: MatrixCell['decision'];
  readonly text: string;
  readonly note?: number;
  /** A qualifier such as `for AWS resources only`. */
  readonly remark?: string;
}

function cellViews(key: KeyAccess, row: MatrixRow, notes: Notes, SYMBOL: Symbols): CellView[] {
  // Whether the policy names no service in kms:ViaService: then "another service" is any service.
  const noNamedService = key.rows.every((r) => r.access.every((e) => !/via (?!another service$)/.test(e.context)));
  return key.columns.map((column): CellView => {
    const cell = cellOf(row, column);
    if (column.group === 'services') {
      const services = (cell.services ?? []).map((s) => {
        const n = s.decision === 'depends' ? notes.number(row, column.actions, (c) => c === `via ${s.service}`) : undefined;
        return { text: `${shortService(s.service, noNamedService)} ${SYMBOL[s.decision]}${n ? superscript(n) : ''}`, n };
      });
      return { decision: cell.decision, text: services.length > 0 ? services.map((s) => s.text).join(', ') : SYMBOL.denied };
    }
    const direct = column.group === 'grants' ? () => true : (c: string) => c === 'direct';
    const note = cell.decision === 'depends' ? notes.number(row, column.actions, direct) : undefined;
    const text = `${SYMBOL[cell.decision]}${note ? superscript(note) : ''}`;
    return { decision: cell.decision, text, note, remark: cell.note?.replace(/\S+\.amazonaws\.com(\.cn)?/g, (endpoint) => shortService(endpoint, false)) };
  });
}

const LEGEND = '✅ allowed · ❓ depends (the numbered note says on what) · — denied';

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

const md = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*').replace(/_/g, '\\_');

export function toMarkdown(report: KeyAccessReportData, comparison?: Comparison): string {
  const out: string[] = [];
  out.push('# Key access report', '');
  out.push(`${report.keys.length} KMS key${report.keys.length === 1 ? '' : 's'} in \`${report.source}\`. ${LEGEND}.`, '');
  if (comparison) out.push(...comparisonMarkdown(comparison), '');
  for (const key of report.keys) {
    out.push(`## ${md(key.path)}`, '');
    out.push(`\`${key.type}\` \`${key.id}\` · account ${md(key.account)} · ${md(key.region)} · ${key.usage}` +
      (key.policySource === 'kms-default' ? ' · **no key policy in the template: KMS default policy (the account root with kms:\\*)**' : ''), '');
    const notes = new Notes();
    out.push(`| Who | ${key.columns.map((c) => md(c.label)).join(' | ')} |`);
    out.push(`|---|${key.columns.map(() => ':-:').join('|')}|`);
    for (const row of key.rows) {
      out.push(`| ${md(row.label)} | ${cellViews(key, row, notes, EMOJI).map((v) => md(v.remark ? `${v.text} ${v.remark}` : v.text)).join(' | ')} |`);
    }
    out.push('');
    if (notes.texts.length > 0) {
      out.push('Depends on:', '');
      notes.texts.forEach((t, i) => out.push(`${i + 1}. ${md(t)}`));
      out.push('');
    }
    if (key.unresolved.length > 0) out.push(`Values known only at deployment: ${key.unresolved.map((u) => `\`${u}\``).join(', ')}`, '');
    out.push(...identityMarkdown(key));
  }
  if (report.warnings.length > 0) {
    out.push('## Not read', '');
    report.warnings.forEach((w) => out.push(`- ${md(w)}`));
    out.push('');
  }
  return out.join('\n');
}

function identityMarkdown(key: KeyAccess): string[] {
  if (key.identityPolicies.length === 0) return ['No IAM policy of the app grants KMS actions on this key.', ''];
  const out = ['IAM policies of the app that grant KMS actions on this key:', ''];
  for (const grant of key.identityPolicies) {
    const reached = grant.principals.length === 0 ? 'attached to no principal of the app'
      : grant.principals.map((p) => `${p.label} (${p.effective.length === 0 ? 'no effect: the key policy does not let IAM policies decide'
        : p.effective.length === grant.actions.length ? 'in effect' : `in effect for ${p.effective.join(', ')}`})`).join('; ');
    out.push(`- ${md(grant.path)} (${md(grant.kind)}, ${grant.statement}${grant.conditional ? ', with a condition' : ''}): ` +
      `${md(grant.actions.join(', '))} on \`${grant.resource}\` → ${md(reached)}`);
  }
  out.push('');
  return out;
}

function comparisonMarkdown(comparison: Comparison): string[] {
  if (comparison.widenings.length === 0) {
    return [`**No access widened since the baseline** (${comparison.narrowings.length} narrowing${comparison.narrowings.length === 1 ? '' : 's'}).`];
  }
  return [
    `**${comparison.widenings.length} widening${comparison.widenings.length === 1 ? '' : 's'} since the baseline:**`, '',
    ...comparison.widenings.map((w) => `- ${md(describeChange(w))}`),
  ];
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; margin: 24px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 4px; padding-top: 12px; border-top: 2px solid #d0d7de; }
.meta { color: #57606a; margin: 0 0 10px; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f4f6; padding: 1px 4px; border-radius: 4px; }
.legend span { display: inline-block; margin-right: 14px; padding: 1px 6px; border-radius: 4px; }
.legend .allowed { background: #dafbe1; color: #116329; }
.legend .depends { background: #fff3c4; color: #7a4d00; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 8px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 5px 8px; text-align: center; vertical-align: middle; }
thead th { background: #f6f8fa; font-weight: 600; font-size: 13px; }
thead tr.groups th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
th.who, td.who { text-align: left; min-width: 240px; max-width: 420px; background: #fff; position: sticky; left: 0; }
td.who { font-size: 14px; }
td.allowed { background: #dafbe1; color: #116329; font-weight: 600; }
td.depends { background: #fff3c4; color: #7a4d00; font-weight: 600; }
td.denied { background: #fff; color: #8c959f; }
td .remark { font-size: 12px; font-weight: 400; display: inline-block; min-width: 9em; }
td.services { text-align: left; font-size: 13px; white-space: nowrap; }
ol.notes, ul.grants, ul.warnings { margin: 4px 0 8px; padding-left: 24px; }
.changes { border: 2px solid #cf222e; border-radius: 6px; padding: 8px 14px; background: #ffebe9; }
.changes.ok { border-color: #1a7f37; background: #dafbe1; }
`;

export function toHtml(report: KeyAccessReportData, comparison?: Comparison): string {
  const body: string[] = [];
  body.push('<h1>Key access report</h1>');
  body.push(`<p class="meta">${report.keys.length} KMS key${report.keys.length === 1 ? '' : 's'} in <code>${html(report.source)}</code></p>`);
  body.push('<p class="legend"><span class="allowed">✓ allowed</span><span class="depends">? depends — the numbered note says on what</span><span>— denied</span></p>');
  if (comparison) body.push(comparisonHtml(comparison));
  if (report.keys.length > 0) {
    body.push('<nav><p>Keys:</p><ul>' + report.keys.map((k, i) => `<li><a href="#key-${i}">${html(k.path)}</a></li>`).join('') + '</ul></nav>');
  }
  report.keys.forEach((key, i) => body.push(keyHtml(key, i)));
  if (report.warnings.length > 0) {
    body.push('<h2>Not read</h2><ul class="warnings">' + report.warnings.map((w) => `<li>${html(w)}</li>`).join('') + '</ul>');
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Key access report</title>',
    `<style>${STYLE}</style></head>`,
    `<body>${body.join('\n')}</body></html>`,
    '',
  ].join('\n');
}

function keyHtml(key: KeyAccess, i: number): string {
  const notes = new Notes();
  const groups: Array<[string, number]> = [];
  for (const column of key.columns) {
    const name = { administer: 'Administer', use: 'Use', grants: 'Grants', services: 'Services' }[column.group];
    const last = groups[groups.length - 1];
    if (last && last[0] === name) last[1]++; else groups.push([name, 1]);
  }
  const head = [
    `<tr class="groups"><th class="who" rowspan="2">Who</th>${groups.map(([name, span]) => `<th colspan="${span}">${name}</th>`).join('')}</tr>`,
    `<tr>${key.columns.map((c) => `<th title="${html(c.actions.join(', '))}">${html(c.label)}</th>`).join('')}</tr>`,
  ].join('');
  const rows = key.rows.map((row) => {
    const views = cellViews(key, row, notes, MARKS);
    const cells = views.map((v, j) => {
      const column = key.columns[j];
      const classes = [v.decision, column.group === 'services' ? 'services' : ''].filter(Boolean).join(' ');
      const remark = v.remark ? `<br><span class="remark">${html(v.remark)}</span>` : '';
      return `<td class="${classes}">${html(v.text)}${remark}</td>`;
    });
    return `<tr><td class="who">${html(row.label)}</td>${cells.join('')}</tr>`;
  });
  const parts = [
    `<h2 id="key-${i}">${html(key.path)}</h2>`,
    `<p class="meta"><code>${html(key.type)}</code> <code>${html(key.id)}</code> · account ${html(key.account)} · ${html(key.region)} · ${html(key.usage)}` +
      (key.policySource === 'kms-default' ? ' · <strong>no key policy in the template: KMS default policy (the account root with kms:*)</strong>' : '') + '</p>',
    `<div class="scroll"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`,
  ];
  if (notes.texts.length > 0) parts.push(`<p>Depends on:</p><ol class="notes">${notes.texts.map((t) => `<li>${html(t)}</li>`).join('')}</ol>`);
  if (key.unresolved.length > 0) parts.push(`<p>Values known only at deployment: ${key.unresolved.map((u) => `<code>${html(u)}</code>`).join(', ')}</p>`);
  if (key.identityPolicies.length === 0) {
    parts.push('<p>No IAM policy of the app grants KMS actions on this key.</p>');
  } else {
    parts.push('<p>IAM policies of the app that grant KMS actions on this key:</p><ul class="grants">' + key.identityPolicies.map((g) => {
      const reached = g.principals.length === 0 ? 'attached to no principal of the app'
        : g.principals.map((p) => `${p.label} (${p.effective.length === 0 ? 'no effect: the key policy does not let IAM policies decide'
          : p.effective.length === g.actions.length ? 'in effect' : `in effect for ${p.effective.join(', ')}`})`).join('; ');
      return `<li>${html(g.path)} (${html(g.kind)}, ${html(g.statement)}${g.conditional ? ', with a condition' : ''}): ${html(g.actions.join(', '))} on <code>${html(g.resource)}</code> → ${html(reached)}</li>`;
    }).join('') + '</ul>');
  }
  return parts.join('\n');
}

function comparisonHtml(comparison: Comparison): string {
  if (comparison.widenings.length === 0) {
    return `<div class="changes ok"><strong>No access widened since the baseline</strong> (${comparison.narrowings.length} narrowings).</div>`;
  }
  return `<div class="changes"><strong>${comparison.widenings.length} widening${comparison.widenings.length === 1 ? '' : 's'} since the baseline:</strong><ul>` +
    comparison.widenings.map((w: AccessChange) => `<li>${html(describeChange(w))}</li>`).join('') + '</ul></div>';
}
