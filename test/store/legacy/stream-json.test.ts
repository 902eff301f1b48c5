// Reading a big flows.json a flow at a time gives exactly what JSON.parse gives, across 1 MB read
// boundaries, with strings full of braces, quotes, escapes and Korean; a truncated or broken file is refused
// with its line and column.
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamSyntaxError, topLevelArray, topLevelString } from '../../../src/store/legacy/stream-json.js';
import { tempDir } from '../../helpers/workspace.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = {
  version: '2.0',
  flows: Array.from({ length: 3000 }, (_, i) => ({
    id: `flow_${i}`,
    name: `흐름 ${i} {"tricky": [1, 2]} \\ "quoted" ]}`,
    description: `]} two\nlines`, // an escaped letter is one character: the quote after it still ends the string
    plans: [{ id: `plan_${i}`, name: 'P', tasks: [{ id: `task_${i}`, name: 'x'.repeat(i % 2000), status: 'todo' }] }],
  })),
  current_flow_id: 'flow_42',
};
const text = JSON.stringify(doc, null, 2); // ~4 MB: several 1 MB reads

describe('topLevelArray', () => {
  it('yields every flow exactly as JSON.parse reads it', () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, text);
    expect(text.length).toBeGreaterThan(3 * (1 << 20));
    expect([...topLevelArray(file, 'flows')]).toEqual(doc.flows);
    expect(topLevelString(file, 'current_flow_id', Buffer.byteLength(text))).toBe('flow_42');
  });

  it('a truncated file is refused with where it ends; a broken element with its line and column', () => {
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, text.slice(0, 2_500_000));
    expect(() => [...topLevelArray(cut, 'flows')]).toThrow(StreamSyntaxError);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"flows": [\n  {"id": "a", "name": "A"},\n  {"id": "b" "name": "B"}\n]}');
    try {
      [...topLevelArray(broken, 'flows')];
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StreamSyntaxError);
      expect([(e as StreamSyntaxError).line, (e as StreamSyntaxError).column]).toEqual([3, 14]);
    }
  });
});
