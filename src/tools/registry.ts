// The tools this server offers, in the order tools/list shows them.
import { flowTool } from './flow.js';
import { planTool } from './plan.js';
import { taskTool } from './task.js';
import { documentTool } from './document.js';
import { searchTool } from './search.js';
import { contextTool } from './context.js';
import { snapshotTool } from './snapshot.js';
import { commandTool } from './command.js';
import type { ToolSpec } from './define.js';

export const TOOLS: readonly ToolSpec[] = [flowTool, planTool, taskTool, snapshotTool, documentTool, searchTool, contextTool, commandTool];

export function findToolSpec(name: string): ToolSpec | undefined {
  return TOOLS.find((t) => t.name === name);
}
