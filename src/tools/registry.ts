// The tools this server offers, in the order tools/list shows them; the one place that imports them all.
import { flowTool } from './flow.js';
import { planTool } from './plan.js';
import { taskTool } from './task.js';
import { documentTool } from './document.js';
import { searchTool } from './search.js';
import { contextTool } from './context.js';
import { snapshotTool } from './snapshot.js';
import { commandTool } from './command.js';
import type { ToolSpec } from './define.js';
import { toolPortOver } from './tool-port.js';

/** The tools by name, for the command bus: what the command tool (and the /flow prompt) runs through. */
export const toolPort = toolPortOver(findToolSpec);

export const TOOLS: readonly ToolSpec[] = [flowTool, planTool, taskTool, snapshotTool, documentTool, searchTool, contextTool, commandTool(toolPort)];

export function findToolSpec(name: string): ToolSpec | undefined {
  return TOOLS.find((t) => t.name === name);
}
