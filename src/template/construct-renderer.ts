import { CfnOutput, CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PARTITION, placeholder, Rendered, RenderHost, RenderScope, renderString } from './render';

interface Scope extends RenderScope {
  readonly stack: Stack;
}

/**
 * Renders values of a construct tree that is still being built (what `stack.resolve` gives) the
 * way templates are rendered: pseudo parameters of env-agnostic stacks and values CloudFormation
 * generates become placeholders. IAM role and user ARNs are spelled out (account, path, name), so
 * that a role referenced by `Fn::GetAtt` and the same role written as an ARN compare equal.
 */
export class ConstructRenderer implements RenderHost<Scope> {
  /** Whether a `resolve` met a cached `Lazy` not yet produced (its value is left unknown). */
  public pendingLazy = false;
  private byLogicalId?: Map<string, Array<{ resource: CfnResource; scope: Scope }>>;
  private readonly scopes = new Map<Stack, Scope>();
  private readonly scope: Scope;

  constructor(private readonly stack: Stack) {
    this.scope = this.scopeOf(stack);
  }

  /** The key's account and Region as rendered values. */
  public get environment(): { account: string; region: string } {
    return { account: this.scope.account ?? placeholder.pseudo('AccountId'), region: this.scope.region ?? placeholder.pseudo('Region') };
  }

  /** Renders a value of the stack (tokens allowed); `undefined` when it cannot be known before deployment. */
  public render(value: unknown): string | undefined {
    return renderString(this, this.scope, this.resolve(value));
  }

  /**
   * `stack.resolve` that leaves cached `Lazy` values that have not been produced yet unresolved:
   * producing one now would freeze it (a Lazy caches its first value), and the template would
   * lose whatever the app adds later. Each stays an unknown value.
   */
  public resolve(value: unknown): any {
    const renderer = this;
    class LeavePendingLazies extends DefaultTokenResolver {
      public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
        if (isPendingCachedLazy(t)) {
          renderer.pendingLazy = true;
          return { 'Fn::PendingLazy': '' };
        }
        return super.resolveToken(t, context, postProcessor);
      }
    }
    return Tokenization.resolve(value, { scope: this.stack, resolver: new LeavePendingLazies(new CloudFormationConcat()) });
  }

  public reference(scope: Scope, logicalId: string, attribute: string | undefined, depth: number): Rendered {
    const found = this.lookup(scope, logicalId);
    if (!found) return placeholder.attribute(-1, `${logicalId}.${attribute ?? 'Ref'}`);
    const { resource, scope: owner } = found;
    const type = resource.cfnResourceType;
    if ((type === 'AWS::IAM::Role' || type === 'AWS::IAM::User') && attribute === 'Arn') {
      const props = propertiesOf(owner, resource);
      const name = this.literal(owner, props[type === 'AWS::IAM::Role' ? 'RoleName' : 'UserName'], depth)
        ?? placeholder.attribute(-1, `${owner.stack.stackName}/${logicalId}.Name`);
      const path = this.literal(owner, props.Path, depth) ?? '/';
      const account = owner.account ?? placeholder.pseudo('AccountId');
      return `arn:${PARTITION}:iam::${account}:${type === 'AWS::IAM::Role' ? 'role' : 'user'}${path}${name}`;
    }
    return placeholder.attribute(-1, `${owner.stack.stackName}/${logicalId}.${attribute ?? 'Ref'}`);
  }

  public importValue(_scope: Scope, exportName: string, depth: number): Rendered {
    for (const construct of this.stack.node.root.node.findAll()) {
      if (!(construct instanceof CfnOutput)) continue;
      const owner = this.scopeOf(Stack.of(construct));
      if (construct.exportName !== undefined && renderString(this, owner, owner.stack.resolve(construct.exportName)) === exportName) {
        return this.outputValue(owner, construct, depth);
      }
    }
    return undefined;
  }

  public stackOutput(_scope: Scope, stackName: string, outputName: string, depth: number): Rendered {
    for (const construct of this.stack.node.root.node.findAll()) {
      if (!(construct instanceof CfnOutput)) continue;
      const owner = this.scopeOf(Stack.of(construct));
      if (owner.stack.stackName === stackName && owner.stack.resolve(construct.logicalId) === outputName) {
        return this.outputValue(owner, construct, depth);
      }
    }
    return undefined;
  }

  private outputValue(owner: Scope, output: CfnOutput, _depth: number): Rendered {
    return renderString(this, owner, owner.stack.resolve(output.value));
  }

  private literal(scope: Scope, value: unknown, _depth: number): string | undefined {
    if (value === undefined) return undefined;
    const rendered = renderString(this, scope, value);
    return rendered !== undefined && !rendered.includes('\u0000') ? rendered : undefined;
  }

  private lookup(scope: Scope, logicalId: string): { resource: CfnResource; scope: Scope } | undefined {
    if (!this.byLogicalId) {
      this.byLogicalId = new Map();
      for (const construct of this.stack.node.root.node.findAll()) {
        if (!CfnResource.isCfnResource(construct)) continue;
        const owner = this.scopeOf(Stack.of(construct));
        const id = owner.stack.resolve(construct.logicalId) as string;
        const entries = this.byLogicalId.get(id) ?? [];
        entries.push({ resource: construct, scope: owner });
        this.byLogicalId.set(id, entries);
      }
    }
    const entries = this.byLogicalId.get(logicalId) ?? [];
    // A reference from this stack names its own resource; one to another stack is not yet an import.
    return entries.find((e) => e.scope === scope) ?? (entries.length === 1 ? entries[0] : undefined);
  }

  private scopeOf(stack: Stack): Scope {
    let scope = this.scopes.get(stack);
    if (!scope) {
      const literal = (v: string) => (Token.isUnresolved(v) ? undefined : v);
      scope = { uid: this.scopes.size, stack, account: literal(stack.account), region: literal(stack.region) };
      this.scopes.set(stack, scope);
    }
    return scope;
  }
}

/**
 * Joins string fragments the way templates do: literal text stays text, anything else becomes
 * `Fn::Join` (what `stack.resolve` writes for a string with tokens in it).
 */
class CloudFormationConcat implements IFragmentConcatenator {
  public join(left: any, right: any): any {
    if (left === undefined) return right;
    if (right === undefined) return left;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return { 'Fn::Join': ['', [...joinParts(left), ...joinParts(right)]] };
  }
}

function joinParts(value: any): any[] {
  const join = value !== null && typeof value === 'object' ? value['Fn::Join'] : undefined;
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) ? join[1] : [value];
}

/**
 * A cached `Lazy` whose producer has not run yet: running it would freeze it. (Uncached ones,
 * which CDK's own references are, resolve as usual; the policy is evaluated again at synth.)
 */
function isPendingCachedLazy(t: IResolvable): boolean {
  const lazy = (t as any).inner ?? t;
  return lazy !== null && typeof lazy === 'object' && lazy.cache === true && lazy._cached === undefined && typeof lazy.producer?.produce === 'function';
}

function propertiesOf(scope: Scope, resource: CfnResource): Record<string, unknown> {
  try {
    const cfn = scope.stack.resolve(resource._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
    return Object.values(cfn.Resources ?? {})[0]?.Properties ?? {};
  } catch {
    return {};
  }
}

/** The stack a construct belongs to, for callers that only hold the construct. */
export function rendererFor(construct: IConstruct): ConstructRenderer {
  return new ConstructRenderer(Stack.of(construct));
}
