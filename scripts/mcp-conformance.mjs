#!/usr/bin/env node
// CI: protocol conformance of Paige's MCP server. Starts `paige serve`, then runs @modelcontextprotocol/conformance
// (server mode, one scenario at a time) and the MCP Inspector CLI against it.
//
// Neither tool can send an Authorization header (conformance 0.1.13 and inspector 0.15.x have no header option), so
// they talk to a test-only proxy on 127.0.0.1 that adds the bearer token, as Claude Code does from its MCP config.
// The proxy maps only its own loopback Host/Origin to Paige's port and passes every other Host/Origin through
// unchanged, so the DNS-rebinding scenario still reaches Paige's own checks. Paige itself runs unmodified.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.13';
const inspectorPackage = '@modelcontextprotocol/inspector@0.15.0';
const EXPECTED_FAILURES = path.join(ROOT, 'e2e', 'mcp-conformance-expected-failures.yml');
/** `paige serve` prints its ready line within a second; allow for a cold, busy CI machine. */
const READY_TIMEOUT_MS = 30_000;
/** One scenario (or one inspector call) that hangs must not hang CI. */
const STEP_TIMEOUT_MS = 120_000;

const tmp = (prefix) => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
const log = (msg) => console.log(`[mcp-conformance] ${msg}`);

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}

function startPaige() {
  const project = tmp('paige-conf-proj-');
  const dataDir = tmp('paige-conf-data-');
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', project, '--data-dir', dataDir, '--no-terminal'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`paige serve was not ready in time\n${stderr}`)), READY_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const ready = JSON.parse(line);
      if (!ready.mcpUrl) return reject(new Error(`paige serve reported no mcpUrl\n${stderr}`));
      const runtime = JSON.parse(fs.readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'));
      resolve({ child, mcpUrl: new URL(ready.mcpUrl), token: runtime.mcpToken, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`paige serve exited with ${code}\n${stderr}`)));
  });
}

/** Adds the bearer token and maps this proxy's loopback Host/Origin to Paige's; remembers MCP session ids. */
function startAuthProxy(target, token) {
  const sessions = new Set();
  const targetPort = Number(target.port);
  const server = http.createServer((req, res) => {
    const ownPort = server.address().port;
    const headers = { ...req.headers, authorization: `Bearer ${token}` };
    for (const name of ['host', 'origin']) {
      const v = headers[name];
      if (typeof v !== 'string') continue;
      for (const h of ['127.0.0.1', 'localhost', '[::1]']) {
        if (v === `${h}:${ownPort}` || v === `http://${h}:${ownPort}`)
          headers[name] = v.replace(`:${ownPort}`, `:${targetPort}`);
      }
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers },
      (up) => {
        const sid = up.headers['mcp-session-id'];
        if (typeof sid === 'string') sessions.add(sid);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/mcp`,
        /** Ends the sessions a finished scenario left open, so Paige's 16-session cap is not reached. */
        async endSessions() {
          await Promise.all(
            [...sessions].map(
              (sid) =>
                new Promise((done) => {
                  const r = http.request(
                    {
                      host: '127.0.0.1',
                      port: targetPort,
                      method: 'DELETE',
                      path: target.pathname,
                      headers: {
                        host: `127.0.0.1:${targetPort}`,
                        authorization: `Bearer ${token}`,
                        'mcp-session-id': sid,
                        'mcp-protocol-version': '2025-06-18',
                      },
                    },
                    (res) => res.resume().on('end', done),
                  );
                  r.on('error', done);
                  r.end();
                }),
            ),
          );
          sessions.clear();
        },
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

async function main() {
  const paige = await startPaige();
  log(`paige serve ready, MCP at ${paige.mcpUrl}`);
  const proxy = await startAuthProxy(paige.mcpUrl, paige.token);
  const failures = [];
  try {
    const listed = await run('npx', ['-y', CONFORMANCE, 'list', '--server']);
    const scenarios = [...listed.out.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
    if (scenarios.length === 0) throw new Error(`could not list conformance scenarios:\n${listed.out}`);
    for (const scenario of scenarios) {
      const r = await run('npx', [
        '-y',
        CONFORMANCE,
        'server',
        '--url',
        proxy.url,
        '--scenario',
        scenario,
        '--expected-failures',
        EXPECTED_FAILURES,
      ]);
      const verdict = r.code === 0 ? 'ok' : 'FAILED';
      log(`${verdict.padEnd(6)} ${scenario}`);
      if (r.code !== 0) {
        failures.push(scenario);
        console.log(r.out);
      }
      await proxy.endSessions();
    }

    const inspector = (args) =>
      run('npx', ['-y', inspectorPackage, '--cli', proxy.url, '--transport', 'http', ...args]);
    const list = await inspector(['--method', 'tools/list']);
    const listedTools = list.code === 0 && list.out.includes('paige_get_open_files');
    log(`${listedTools ? 'ok    ' : 'FAILED'} inspector tools/list`);
    if (!listedTools) {
      failures.push('inspector tools/list');
      console.log(list.out);
    }
    const callTool = await inspector(['--method', 'tools/call', '--tool-name', 'paige_get_open_files']);
    const called = callTool.code === 0 && callTool.out.includes('"files"') && !callTool.out.includes('"isError": true');
    log(`${called ? 'ok    ' : 'FAILED'} inspector tools/call paige_get_open_files`);
    if (!called) {
      failures.push('inspector tools/call');
      console.log(callTool.out);
    }
    await proxy.endSessions();
  } finally {
    await proxy.close();
    paige.child.kill('SIGTERM');
    await new Promise((r) => paige.child.once('exit', r));
  }
  if (failures.length > 0) {
    console.log(paige.stderr());
    throw new Error(`MCP conformance failed: ${failures.join(', ')}`);
  }
  log('all scenarios as expected');
}

main().catch((err) => {
  console.error(`[mcp-conformance] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
