import { AccessEntry, CellDecision, KeyAccess, KeyAccessReportData, MatrixColumn, MatrixRow, rankOf } from './model';

/**
 * The gate: every cell of the current report that is wider than in the baseline. A widening is a
 * new key, a new principal, a new action (or context), depends → allowed, or another service a
 * use goes through. Everything else (fewer keys, principals, actions, allowed → depends) is a
 * narrowing, which passes. The offline twin of Access Analyzer's "no new access" check.
 */

export type ChangeKind = 'new key' | 'new principal' | 'new action' | 'another service' | 'depends → allowed' | 'narrower';

export interface AccessChange {
  readonly kind: ChangeKind;
  /** Key id (`stack id/logical id`) and path. */
  readonly key: string;
  readonly keyPath: string;
  readonly row: string;
  readonly rowLabel: string;
  /** The column the action falls under, as the matrix shows it. */
  readonly column: string;
  readonly action: string;
  readonly context: string;
  readonly before: CellDecision;
  readonly after: CellDecision;
}

export interface Comparison {
  readonly widenings: AccessChange[];
  readonly narrowings: AccessChange[];
}

const entryKey = (e: AccessEntry) => `${e.action}\u0001${e.context}`;

export function compareReports(baseline: KeyAccessReportData, current: KeyAccessReportData): Comparison {
  const widenings: AccessChange[] = [];
  const narrowings: AccessChange[] = [];
  const before = new Map(baseline.keys.map((k) => [k.id, k]));
  const after = new Map(current.keys.map((k) => [k.id, k]));
  for (const key of current.keys) {
    const old = before.get(key.id);
    const oldRows = new Map((old?.rows ?? []).map((r) => [r.id, r]));
    for (const row of key.rows) {
      const oldRow = oldRows.get(row.id);
      const oldEntries = new Map((oldRow?.access ?? []).map((e) => [entryKey(e), e]));
      for (const entry of row.access) {
        const was = oldEntries.get(entryKey(entry));
        const change = (kind: ChangeKind, from: CellDecision): AccessChange => ({
          kind,
          key: key.id,
          keyPath: key.path,
          row: row.id,
          rowLabel: row.label,
          column: columnOf(key.columns, entry),
          action: entry.action,
          context: entry.context,
          before: from,
          after: entry.decision,
        });
        if (!old) {
          widenings.push(change('new key', 'denied'));
        } else if (!oldRow) {
          widenings.push(change('new principal', 'denied'));
        } else if (!was) {
          // The action was allowed before, but not through this service: the use reaches another service.
          const anotherService = serviceOf(entry.context) !== undefined && oldRow.access.some((e) => e.action === entry.action);
          widenings.push(change(anotherService ? 'another service' : 'new action', 'denied'));
        } else if (rankOf(entry.decision) > rankOf(was.decision)) {
          widenings.push(change('depends → allowed', was.decision));
        } else if (rankOf(entry.decision) < rankOf(was.decision)) {
          narrowings.push(change('narrower', was.decision));
        }
      }
      if (oldRow) {
        const now = new Set(row.access.map(entryKey));
        for (const e of oldRow.access) if (!now.has(entryKey(e))) narrowings.push(gone(key, row, e));
      }
    }
    if (old) {
      const rows = new Set(key.rows.map((r) => r.id));
      for (const row of old.rows) if (!rows.has(row.id)) row.access.forEach((e) => narrowings.push(gone(old, row, e)));
    }
  }
  for (const key of baseline.keys) {
    if (!after.has(key.id)) key.rows.forEach((row) => row.access.forEach((e) => narrowings.push(gone(key, row, e))));
  }
  return { widenings, narrowings };
}

function gone(key: KeyAccess, row: MatrixRow, entry: AccessEntry): AccessChange {
  return {
    kind: 'narrower',
    key: key.id,
    keyPath: key.path,
    row: row.id,
    rowLabel: row.label,
    column: columnOf(key.columns, entry),
    action: entry.action,
    context: entry.context,
    before: entry.decision,
    after: 'denied',
  };
}

/** `via <service>` in a context (also inside a grant's context); undefined for direct calls. */
function serviceOf(context: string): string | undefined {
  const m = /via (.+)$/.exec(context);
  return m ? m[1] : undefined;
}

function columnOf(columns: readonly MatrixColumn[], entry: AccessEntry): string {
  if (serviceOf(entry.context) !== undefined && entry.action !== 'kms:CreateGrant') {
    return columns.find((c) => c.group === 'services')?.label ?? 'Use through services';
  }
  return columns.find((c) => c.group !== 'services' && c.actions.includes(entry.action))?.label ?? entry.action;
}

/** One line per change, e.g. `KmsGuardrailsKeys/OrdersKey · role KmsGuardrailsKeys/Reporting · Decrypt (kms:Decrypt, direct): denied → allowed [new action]`. */
export function describeChange(change: AccessChange): string {
  return `${change.keyPath} · ${change.rowLabel} · ${change.column} (${change.action}, ${change.context}): ${change.before} → ${change.after} [${change.kind}]`;
}
