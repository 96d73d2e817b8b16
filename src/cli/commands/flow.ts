import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../runtime/fs/atomic';
import {
  addStep,
  deleteFromLayout,
  deleteFromResolveSidecar,
  deleteStep,
  layoutPathFor,
  parseFlow,
  parseLayout,
  renameInLayout,
  renameInResolveSidecar,
  renameStep,
  serializeLayout,
  type EditResult,
  type FlowLayout,
} from '../../shared/flow';
import { CliExit, EXIT_FAILED, usageError, type CommandModule } from '../command';
import { addBindingOptions, bindingSource, bindStep, describeSource, editFailed, hasBinding, readSidecar, RESOLVE_SUFFIX, updateStep, type BindingOptions, type UpdateStepOptions } from './flow-binding';
import { describeIoError } from './validate';

interface WriteOption {
  write?: boolean;
}

/** How the sidecars beside a flow follow a step edit. */
interface SidecarUpdate {
  resolve: (text: string) => string;
  layout: (layout: FlowLayout) => FlowLayout;
}

export const flowCommand: CommandModule = (program: Command) => {
  const flow = program.command('flow').description('edit a .ygtc flow without disturbing the rest of the file');

  addBindingOptions(
    flow
      .command('add-step')
      .description("add a step after a node (it takes over the node's routes), or before the entry node without --after")
      .argument('<file>', 'the .ygtc flow')
      .option('--after <node>', 'the node the new step follows')
      .requiredOption('--id <new>', 'id of the new step')
      .requiredOption('--op <op key>', "the step's operation key, e.g. qa.process or emit.response")
      .option('--payload <json>', "the operation's payload as JSON", '{}')
      .option('--write', 'write the file (and the resolve sidecar, with --component/--local-wasm) in place instead of printing it'),
  ).action(async (file: string, options: WriteOption & BindingOptions & { after?: string; id: string; op: string; payload: string }) => {
    const text = await readFlow(file);
    const payload = parsePayload(options.payload);
    const source = hasBinding(options) ? await bindingSource(file, options) : null;
    const result = addStep(parseFlow(text, { sourceName: file }), { after: options.after ?? null, id: options.id, opKey: options.op, payload });
    await finish(file, result, options);
    if (source && result.ok && options.write) {
      await writeOrFail(file + RESOLVE_SUFFIX, bindStep(await readSidecar(file), file, result.nodeId ?? options.id, source));
      process.stdout.write(`wrote ${file}${RESOLVE_SUFFIX} (${result.nodeId ?? options.id} -> ${describeSource(source)})\n`);
    }
  });

  addBindingOptions(
    flow
      .command('bind-component')
      .description("attach or repair a step's component binding in the resolve sidecar, leaving the flow as it is")
      .argument('<file>', 'the .ygtc flow')
      .requiredOption('--step <id>', 'the step to bind')
      .option('--write', 'write the sidecar in place instead of printing it'),
  ).action(async (file: string, options: WriteOption & BindingOptions & { step: string }) => {
    const text = await readFlow(file);
    if (!hasBinding(options)) throw usageError('give --component <ref> or --local-wasm <file>');
    const nodes = (parseFlow(text, { sourceName: file }).value as { nodes?: unknown } | undefined)?.nodes;
    if (typeof nodes !== 'object' || nodes === null || !Object.hasOwn(nodes, options.step)) {
      throw new CliExit(EXIT_FAILED, `node '${options.step}' not found in flow`);
    }
    const source = await bindingSource(file, options);
    const updated = bindStep(await readSidecar(file), file, options.step, source);
    if (!options.write) {
      process.stdout.write(updated);
      return;
    }
    await writeOrFail(file + RESOLVE_SUFFIX, updated);
    process.stdout.write(`Bound component for node '${options.step}' in ${file}${RESOLVE_SUFFIX}\n`);
  });

  flow
    .command('update-step')
    .description("edit a bound step as greentic-flow does: merge answers into its payload, rename its operation, replace its routing")
    .argument('<file>', 'the .ygtc flow')
    .requiredOption('--step <id>', 'the step to update (it needs a sidecar binding)')
    .option('--answers <json>', 'fields to merge into the payload, as a JSON object')
    .option('--operation <op key>', 'rename the operation key')
    .option('--routing-out', 'make the step terminal')
    .option('--routing-reply', 'reply to the origin')
    .option('--routing-next <node>', 'route to one node')
    .option('--routing-multi-to <a,b>', 'fan out to several nodes')
    .option('--write', 'write the file in place instead of printing it')
    .action(async (file: string, options: WriteOption & UpdateStepOptions) => {
      const text = await readFlow(file);
      const result = updateStep(text, file, await readSidecar(file), options);
      if (!result.ok) editFailed(result);
      if (!options.write) {
        process.stdout.write(result.text);
        return;
      }
      await writeOrFail(file, result.text);
      process.stdout.write(`Updated step '${options.step}' in ${file}\n`);
    });

  flow
    .command('delete-step')
    .description('delete a step; by default its predecessors are joined to its successors')
    .argument('<file>', 'the .ygtc flow')
    .requiredOption('--step <id>', 'the step to delete')
    .option('--strategy <how>', 'splice (join predecessors to successors) or remove-only', 'splice')
    .option('--write', 'write the file in place (and update its sidecars) instead of printing it')
    .action(async (file: string, options: WriteOption & { step: string; strategy: string }) => {
      if (options.strategy !== 'splice' && options.strategy !== 'remove-only') {
        throw usageError(`--strategy must be 'splice' or 'remove-only', got '${options.strategy}'`);
      }
      const text = await readFlow(file);
      const result = deleteStep(parseFlow(text, { sourceName: file }), options.step, options.strategy);
      await finish(file, result, options, {
        resolve: (sidecar) => deleteFromResolveSidecar(sidecar, options.step),
        layout: (layout) => deleteFromLayout(layout, options.step),
      });
    });

  flow
    .command('rename-step')
    .description('rename a step, updating every route, start, entrypoints, meta and the sidecars')
    .argument('<file>', 'the .ygtc flow')
    .requiredOption('--step <old>', 'the current id')
    .requiredOption('--to <new>', 'the new id')
    .option('--write', 'write the file in place (and update its sidecars) instead of printing it')
    .action(async (file: string, options: WriteOption & { step: string; to: string }) => {
      const text = await readFlow(file);
      const result = renameStep(parseFlow(text, { sourceName: file }), options.step, options.to);
      await finish(file, result, options, {
        resolve: (sidecar) => renameInResolveSidecar(sidecar, options.step, options.to),
        layout: (layout) => renameInLayout(layout, options.step, options.to),
      });
    });
};

async function readFlow(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read '${file}': ${describeIoError(error)}`);
  }
}

function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw usageError(`--payload is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function finish(file: string, result: EditResult, options: WriteOption, sidecars?: SidecarUpdate): Promise<void> {
  if (!result.ok) throw new CliExit(EXIT_FAILED, `${result.code}: ${result.message}`);
  if (!options.write) {
    process.stdout.write(result.text);
    return;
  }
  await writeOrFail(file, result.text);
  process.stdout.write(`wrote ${file}\n`);
  if (!sidecars) return;
  const resolvePath = file + RESOLVE_SUFFIX;
  const resolve = await readIfPresent(resolvePath);
  if (resolve !== null) {
    const updated = sidecars.resolve(resolve);
    if (updated !== resolve) {
      await writeOrFail(resolvePath, updated);
      process.stdout.write(`wrote ${resolvePath}\n`);
    }
  }
  const layoutPath = layoutPathFor(file);
  const layoutText = await readIfPresent(layoutPath);
  const layout = layoutText === null ? null : parseLayout(layoutText);
  if (layout?.ok) {
    const updated = sidecars.layout(layout.layout);
    if (updated !== layout.layout) {
      await writeOrFail(layoutPath, serializeLayout(updated));
      process.stdout.write(`wrote ${layoutPath}\n`);
    }
  }
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function writeOrFail(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw usageError(`cannot write '${file}': ${describeIoError(error)}`);
  }
}
