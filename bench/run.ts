// npm run bench: every benchmark, printed as tables with ratios against baselines from the same run.
import { coldStartBench } from './cold-start.js';
import { latencyBench } from './latency.js';
import { toolsSizeBench } from './tools-size.js';
import { searchBench } from './search.js';
import { vectorBench } from './vectors.js';
import { firstSearchBench } from './first-search.js';
import { searchToolBench } from './search-tool.js';
import { vectorPathsBench } from './vector-paths.js';
import { snapshotBench } from './snapshots.js';
import { importBench } from './import.js';
import { httpLoadBench } from './http-load.js';
import { contextBench } from './context.js';
import { indexBench } from './index.js';
import { httpSessionsBench } from './http-sessions.js';
import { httpModesBench } from './http-modes.js';
import { peersBench } from './peers.js';
import { webBoardBench } from './web-board.js';

const only = process.argv[2];
if (!only || only === 'size') toolsSizeBench();
if (!only || only === 'cold') await coldStartBench();
if (!only || only === 'latency') await latencyBench();
if (!only || only === 'search') await searchBench();
if (!only || only === 'search' || only === 'first-search') await firstSearchBench();
if (!only || only === 'search' || only === 'search-tool') await searchToolBench();
if (!only || only === 'vectors') await vectorBench();
if (!only || only === 'vectors' || only === 'crossover') await vectorPathsBench();
if (!only || only === 'snapshots') await snapshotBench();
if (!only || only === 'http') await httpLoadBench();
if (!only || only === 'http') await httpSessionsBench();
if (!only || only === 'http') await httpModesBench();
if (!only || only === 'import') await importBench();
if (!only || only === 'context') await contextBench();
if (!only || only === 'index') await indexBench();
if (!only || only === 'web') await webBoardBench();
// Not in the default run: it installs a peer (~1.4 GB) from the npm registry on first use.
if (only === 'peers') await peersBench();
