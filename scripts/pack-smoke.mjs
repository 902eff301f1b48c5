// npm run test:pack: packs flowmcp, installs the tarball globally into a temporary prefix (never the
// real global one), then runs the installed `flowmcp --version` and a stdio MCP ping against a
// temporary project. Needs the npm registry (the package's dependencies are installed from it);
// slow (a minute or more, better-sqlite3 may compile), so it is not part of npm test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'flowmcp-pack-'));
const prefix = join(work, 'prefix');
const project = mkdtempSync(join(work, 'project-'));
const say = (s) => process.stderr.write(`test:pack: ${s}\n`);
const npm = (args, opts = {}) => execFileSync('npm', args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });

try {
  // dist/ is built by the npm script before this (`prepare` is skipped so the pack is what was built).
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root }));
  const tarball = join(work, packed.filename);
  say(`packed ${packed.filename}: ${(packed.size / 1e6).toFixed(1)} MB, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${packed.files.length} files`);
  say(`installing into ${prefix}`);
  // better-sqlite3 compiles when no prebuilt binary can be fetched; node-gyp would then download Node's
  // headers from nodejs.org. Point it at the running Node's own headers when they are installed.
  const env = { ...process.env };
  const nodePrefix = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node_version.h'))) env.npm_config_nodedir = nodePrefix;
  npm(['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { stdio: ['ignore', 2, 2], env });
  const bin = join(prefix, 'bin', 'flowmcp');

  const got = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (!got.includes(version)) throw new Error(`flowmcp --version printed "${got}", expected ${version}`);
  say(`flowmcp --version: ${got}`);

  await stdioPing(bin);
  say('stdio: initialize, ping and tools/list answered');
  say('ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Raw JSON-RPC over stdio (the installed package's own dependencies are not importable from here).
async function stdioPing(bin) {
  const child = spawn(bin, ['serve', '--dir', project], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FLOWMCP_CONFIG: '/dev/null/none.json' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waiting = new Map();
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const msg = JSON.parse(line);
      waiting.get(msg.id)?.(msg);
    }
  });
  const call = (id, method, params) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to ${method} in 20 s; stderr:\n${stderr}`)), 20_000);
      waiting.set(id, (m) => (clearTimeout(t), m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result)));
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  try {
    const init = await call(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test-pack', version: '0' } });
    if (init.serverInfo?.name == null) throw new Error(`initialize: ${JSON.stringify(init)}`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    await call(2, 'ping', {});
    const tools = await call(3, 'tools/list', {});
    if (!tools.tools?.some((t) => t.name === 'task')) throw new Error(`tools/list: ${JSON.stringify(tools).slice(0, 500)}`);
  } finally {
    child.kill();
  }
}
