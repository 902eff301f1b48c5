// The tools as the command bus sees them (commands/bus.ts, ToolPort): validate and call by name, over
// whichever lookup is given. The registry passes its own, so the command tool, which runs the other
// tools, never imports the registry that lists it.
import type { ToolPort } from '../commands/bus.js';
import type { ToolSpec } from './define.js';
import { dispatchAsync, validateCall } from './dispatch.js';

export function toolPortOver(find: (name: string) => ToolSpec | undefined): ToolPort {
  return {
    validate: (tool, args) => {
      const spec = find(tool);
      return spec ? validateCall(spec, args) : `No tool ${tool}.`;
    },
    call: (call, tool, args) => dispatchAsync(find(tool)!, call, args),
  };
}
