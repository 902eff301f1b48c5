import { tempWorkspace } from './test/helpers/workspace.ts';
import { indexCorpus, evaluate } from './test/helpers/relevance.ts';
const t = tempWorkspace();
await indexCorpus(t.ctx, undefined);
console.log('fts', await evaluate(t.ctx, undefined, 'text'));
t.cleanup();
