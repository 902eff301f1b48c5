// The web page's board at 10k tasks in Debian's chromium (puppeteer-core): from opening the sign-in link
// to the board drawn and usable, against the same run's baseline of a board of 10 tasks; and GET
// /api/board alone. Target (issue 19): a board of 10,000 tasks usable within a second.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { seedProject } from './seed.js';
import { median, ms, printTable } from './stats.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const REPS = 5;

async function serve(dir: string): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--http', '--port', '0', '--dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving MCP at http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { port, stop: () => child.kill('SIGKILL') };
}

async function link(port: number): Promise<string> {
  return ((await (await fetch(`http://127.0.0.1:${port}/ui/link`, { method: 'POST' })).json()) as { url: string }).url;
}

export async function webBoardBench(): Promise<void> {
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const rows: (string | number)[][] = [];
  let baseline = 0;
  try {
    for (const tasks of [10, 10_000]) {
      const { dir } = seedProject(tasks);
      const server = await serve(dir);
      try {
        const page = await browser.newPage();
        const load: number[] = [];
        const api: number[] = [];
        for (let i = 0; i < REPS; i++) {
          const url = await link(server.port);
          const t0 = performance.now();
          await page.goto(url);
          await page.waitForSelector('body[data-ready="true"]');
          load.push(performance.now() - t0);
          const a = (await page.evaluate(async () => {
            const { csrf } = (await (await fetch('/api/session')).json()) as { csrf: string };
            const t = performance.now();
            const r = await fetch('/api/board', { headers: { 'x-flowmcp-csrf': csrf } });
            if (!r.ok) throw new Error(`GET /api/board: ${r.status}`);
            await r.json();
            return performance.now() - t;
          })) as number;
          api.push(a);
        }
        await page.close();
        if (tasks === 10) baseline = median(load);
        rows.push([tasks, ms(median(load)), ms(median(api)), `${(median(load) / baseline).toFixed(1)}×`, tasks === 10_000 ? '≤ 1000' : '']);
      } finally {
        server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  printTable(`Web board: sign-in link → board usable in chromium (ms, median of ${REPS}; baseline: a board of 10 tasks)`, ['tasks', 'board usable', 'GET /api/board', 'vs 10 tasks', 'target'], rows);
}
