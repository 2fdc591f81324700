import * as fs from 'fs';
import * as path from 'path';
import { CfnOutput, CfnParameter, CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { OutputTemplate, ResourceTemplate, StackContent, TemplateIndex, TemplateResource, TemplateStack } from '../../template/template-index';

/** A resource of the indexed app. */
export type IndexedResource = TemplateResource;
/** A stack of the indexed app. */
export type StackInfo = TemplateStack;

/** Where the pack reads a stack's template from. */
export type TemplateSource = 'written' | 'rendered';

let currentRun = 0;
const indexes = new WeakMap<IConstruct, AppIndex>();

/**
 * The template index of a CDK app, and which resource of it each `CfnResource` construct is. A
 * stack whose template CDK has written to the cloud assembly is read from that file, so the pack
 * judges what CloudFormation will receive; any other stack is rendered from the construct tree.
 */
export class AppIndex extends TemplateIndex {
  /** Called by the pack when a validation run starts: indexes built before are stale. */
  public static beginRun(): void {
    currentRun++;
  }

  /**
   * The index of the app that holds `node`, for a rule function called outside the pack (the
   * exported `rules.*`). A rule meeting a resource it has already read, or a resource the index
   * does not know, is taken as the start of a new run.
   */
  public static of(node: CfnResource, rule: string): AppIndex {
    const root = node.node.root;
    let index = indexes.get(root);
    let resource = index?.nodes.get(node);
    if (!index || !resource || index.run !== currentRun || index.visited(resource, rule)) {
      index = AppIndex.build(root, 'rendered');
      indexes.set(root, index);
      resource = index.nodes.get(node);
      if (!resource) throw new Error(`${node.node.path} is not in a stack`);
    }
    index.visited(resource, rule);
    return index;
  }

  /** Indexes every stack of the app that holds `scope`, reading written templates when asked to and present. */
  public static build(scope: IConstruct, source: TemplateSource): AppIndex {
    const contents: StackContent[] = [];
    const nodes: Array<[CfnResource, string, string]> = [];
    const templatePaths = new Map<string, string>();
    for (const stack of scope.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
      const own = ownConstructs(stack);
      const id = stack.node.path;
      const file = source === 'written' ? writtenTemplate(stack) : undefined;
      if (file) templatePaths.set(id, file.path);
      const parentStack = stack.nestedStackParent;
      const parentResource = stack.nestedStackResource as CfnResource | undefined;
      const parent = parentStack && parentResource
        ? { id: parentStack.node.path, logicalId: parentStack.resolve(parentResource.logicalId) as string }
        : undefined;
      const logicalIdOf = (c: CfnResource | CfnParameter | CfnOutput) => stack.resolve(c.logicalId) as string;
      const resources = own.resources.map((node) => {
        const logicalId = logicalIdOf(node);
        nodes.push([node, id, logicalId]);
        const written = file?.template.Resources?.[logicalId];
        const rendered = () => (stack.resolve(node._toCloudFormation()) as { Resources?: Record<string, ResourceTemplate> }).Resources?.[logicalId];
        const template = written ? () => written : () => rendered() ?? { Type: node.cfnResourceType };
        return { logicalId, type: node.cfnResourceType, path: node.node.path, template };
      });
      contents.push({
        id,
        stackName: stack.stackName,
        account: Token.isUnresolved(stack.account) ? undefined : stack.account,
        region: Token.isUnresolved(stack.region) ? undefined : stack.region,
        parent,
        resources,
        parameters: own.parameters.map(logicalIdOf),
        outputs: file
          ? () => file.template.Outputs ?? {}
          : () => Object.assign({}, ...own.outputs.map((o) => renderedOutput(stack, o))) as Record<string, OutputTemplate>,
      });
    }
    return new AppIndex(contents, nodes, templatePaths);
  }

  /** The index resource of each `CfnResource` construct. */
  public readonly nodes = new Map<CfnResource, TemplateResource>();
  private readonly run = currentRun;
  private readonly visitedBy = new Map<TemplateResource, Set<string>>();

  private constructor(contents: StackContent[], nodes: Array<[CfnResource, string, string]>, private readonly templatePaths: Map<string, string>) {
    super(contents);
    const stacks = new Map(this.stacks.map((s) => [s.id, s]));
    for (const [node, stackId, logicalId] of nodes) {
      const resource = stacks.get(stackId)?.resources.get(logicalId);
      if (resource) this.nodes.set(node, resource);
    }
  }

  public resource(node: CfnResource): TemplateResource {
    return this.nodes.get(node)!;
  }

  /** The written template the stack was read from, `undefined` when it was rendered. */
  public templatePath(stack: TemplateStack): string | undefined {
    return this.templatePaths.get(stack.id);
  }

  private visited(resource: TemplateResource, rule: string): boolean {
    let rules = this.visitedBy.get(resource);
    if (!rules) this.visitedBy.set(resource, rules = new Set());
    if (rules.has(rule)) return true;
    rules.add(rule);
    return false;
  }
}

interface WrittenTemplate {
  readonly Resources?: Record<string, ResourceTemplate>;
  readonly Outputs?: Record<string, OutputTemplate>;
}

/** The template CDK wrote for `stack` in its stage's cloud assembly, if there is one. */
function writtenTemplate(stack: Stack): { path: string; template: WrittenTemplate } | undefined {
  const stage = Stage.of(stack);
  if (!stage) return undefined;
  const file = path.resolve(stage.outdir, stack.templateFile);
  try {
    return { path: file, template: JSON.parse(fs.readFileSync(file, 'utf-8')) as WrittenTemplate };
  } catch {
    return undefined;
  }
}

/** The resources, parameters and outputs of `stack` itself, not of stacks nested in it. */
function ownConstructs(stack: Stack): { resources: CfnResource[]; parameters: CfnParameter[]; outputs: CfnOutput[] } {
  const out = { resources: [] as CfnResource[], parameters: [] as CfnParameter[], outputs: [] as CfnOutput[] };
  // Depth first in the order of the construct tree: the first resource of an environment is the
  // first one a reader of the app meets.
  const pending: IConstruct[] = [...stack.node.children].reverse();
  while (pending.length > 0) {
    const construct = pending.pop()!;
    if (Stack.isStack(construct)) continue;
    if (CfnResource.isCfnResource(construct)) out.resources.push(construct);
    else if (construct instanceof CfnParameter) out.parameters.push(construct);
    else if (construct instanceof CfnOutput) out.outputs.push(construct);
    pending.push(...[...construct.node.children].reverse());
  }
  return out;
}

function renderedOutput(stack: Stack, output: CfnOutput): Record<string, OutputTemplate> {
  try {
    return (stack.resolve(output._toCloudFormation()) as { Outputs?: Record<string, OutputTemplate> }).Outputs ?? {};
  } catch {
    return {};
  }
}
