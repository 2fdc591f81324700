import { actionPatternRegExp, expandActionPattern, KEY_ACTIONS, KMS_ACTION_CATALOGUE } from './actions';
import { conditionKeyApplies, conditionKeyKind } from './condition-keys';
import { ConditionClause, PolicyModel, PolicyStatementModel } from './document';
import { clauseMatches } from './evaluator';
import { hasPlaceholder, Tri } from './match';

/**
 * The parts of a key policy that cannot do what they say: an action that is no KMS key action
 * (misspelled, another service's, or one a key policy cannot grant), and a condition on a key
 * that the statement's requests never carry. Such a condition is decided by the key's absence:
 * a Deny guard rail with a positive operator then never applies (it fails open), an Allow with
 * an `IfExists` or negated operator is not restricted at all.
 */
export interface IneffectiveParts {
  /** One sentence per part, naming the statement. */
  readonly parts: string[];
  /** Values the check needs that are only known at deployment (`where: value`). */
  readonly unresolved: string[];
}

const ALL_KMS_ACTIONS = Object.keys(KMS_ACTION_CATALOGUE).map((n) => `kms:${n}`);
/** Only the KMS service-linked role calls these: no principal of a key policy is denied them. */
const SERVICE_LINKED = new Set(Object.keys(KMS_ACTION_CATALOGUE).filter((n) => KMS_ACTION_CATALOGUE[n].class === 'service-linked').map((n) => `kms:${n}`));

export function ineffectiveParts(policy: PolicyModel): IneffectiveParts {
  const parts: string[] = [];
  const unresolved: string[] = [];
  for (const statement of policy.statements) {
    if (statement.effect === undefined) {
      unresolved.push(`${statement.where}: its Effect or the whole statement`);
      continue;
    }
    const entries = statement.actions.filter((a) => {
      if (!hasPlaceholder(a)) return true;
      unresolved.push(`${statement.where}.${statement.notAction ? 'NotAction' : 'Action'}: ${a}`);
      return false;
    });
    parts.push(...actionParts(statement, entries));
    if (entries.length < statement.actions.length) continue;
    const covered = coveredActions(statement);
    for (const clause of statement.conditions) {
      if (clause.key === '?' || hasPlaceholder(clause.key)) {
        unresolved.push(`${statement.where}.Condition`);
        continue;
      }
      parts.push(...conditionParts(statement, clause, covered));
    }
  }
  return { parts, unresolved };
}

function actionParts(statement: PolicyStatementModel, entries: readonly string[]): string[] {
  const out: string[] = [];
  const list = statement.notAction ? 'NotAction' : 'Action';
  for (const entry of entries) {
    if (expandActionPattern(entry).length > 0) continue;
    const re = actionPatternRegExp(entry);
    const kms = ALL_KMS_ACTIONS.filter((a) => re.test(a));
    if (kms.length > 0) {
      // A real KMS action that no key policy can grant: harmless in an Allow, a hole in a Deny.
      if (statement.effect === 'Allow' && !statement.notAction) continue;
      out.push(`${statement.where}: ${list} \`${entry}\` names only ${kms.join(', ')}, which a key policy can neither allow nor deny (they are not actions on a key)`);
    } else if (/^kms:/i.test(entry)) {
      out.push(`${statement.where}: ${list} \`${entry}\` matches no KMS action (misspelled?)${consequence(statement)}`);
    } else {
      out.push(`${statement.where}: ${list} \`${entry}\` is not a KMS action: a key policy only allows or denies KMS actions on the key${consequence(statement)}`);
    }
  }
  return out;
}

function consequence(statement: PolicyStatementModel): string {
  if (statement.notAction) return statement.effect === 'Allow' ? ', so the statement allows every action it was meant to leave out' : ', so the Deny also denies what it was meant to leave out';
  return statement.effect === 'Deny' ? ', so the Deny does not deny it' : ', so the statement does not allow it';
}

/** The key actions a statement covers (for NotAction: every key action it does not name). */
function coveredActions(statement: PolicyStatementModel): string[] {
  const named = new Set(statement.actions.flatMap(expandActionPattern));
  return statement.notAction ? KEY_ACTIONS.filter((a) => !named.has(a)) : [...named];
}

/** How a clause decides a request that lacks its key (the evaluator's semantics). */
function whenAbsent(clause: ConditionClause): Tri {
  return clauseMatches(clause.operator, clause.key, clause.values, new Map([[clause.key.toLowerCase(), { mayBeAbsent: true }]]));
}

function conditionParts(statement: PolicyStatementModel, clause: ConditionClause, covered: readonly string[]): string[] {
  const kind = conditionKeyKind(clause.key);
  if (kind === 'global') return [];
  const where = `${statement.where}: the condition ${clause.operator} on \`${clause.key}\``;
  const absent = whenAbsent(clause);
  const effect = (actions: string) => {
    if (statement.effect === 'Deny') {
      return absent === 'FALSE' ? `, so the Deny never applies to ${actions}: the guard rail fails open`
        : absent === 'TRUE' ? `, so the Deny applies to ${actions} whatever the request` : '';
    }
    return absent === 'TRUE' ? `, so it restricts nothing for ${actions}` : absent === 'FALSE' ? `, so the statement never allows ${actions}` : '';
  };
  if (kind === 'unknown') {
    const why = /^(kms|aws):/i.test(clause.key) ? 'is no condition key of KMS or a global one (misspelled?)' : 'belongs to another service';
    return [`${where} ${why}: no KMS request carries it${effect('anything')}`];
  }
  const relevant = covered.filter((a) => !SERVICE_LINKED.has(a));
  if (relevant.length === 0) return [];
  if (!relevant.some((a) => conditionKeyApplies(clause.key, a))) {
    return [`${where} never applies: no request for ${summary(relevant)} carries it${effect('them')}`];
  }
  // Some actions carry the key. An entry none of whose actions does is decided by absence: report
  // it where that opens the key (an Allow left unrestricted, a Deny that never applies).
  if (statement.notAction) return [];
  const opens = statement.effect === 'Deny' ? absent === 'FALSE' : absent === 'TRUE';
  if (!opens) return [];
  const out: string[] = [];
  for (const entry of statement.actions) {
    const actions = expandActionPattern(entry).filter((a) => !SERVICE_LINKED.has(a));
    if (actions.length > 0 && !actions.some((a) => conditionKeyApplies(clause.key, a))) {
      out.push(`${where} does not apply to \`${entry}\`: its requests never carry the key${effect(summary(actions))}`);
    }
  }
  return out;
}

function summary(actions: readonly string[]): string {
  return actions.length <= 4 ? actions.join(', ') : `${actions.slice(0, 3).join(', ')} and ${actions.length - 3} more actions`;
}
