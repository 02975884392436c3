// `npm start`: builds the extension, then opens VS Code with it loaded from this folder:
// desktop `code --extensionDevelopmentPath=.` when `code` is on PATH, otherwise the browser
// VS Code (code-server, installed and cached by scripts/codeServer.mjs) on 127.0.0.1, whose URL
// is printed. Options: --folder DIR (workspace to open, default: this folder), --port N, --vscode 1.104|1.139 (the
// code-server release, default 1.104; 1.139 has the Chat view).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { argValue, repoRoot as root } from './scriptArgs.mjs';

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const folder = path.resolve(argValue('--folder') ?? root);
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: the build failed');
  process.exit(1);
}

if (onPath('code')) {
  const child = spawn('code', [`--extensionDevelopmentPath=${root}`, folder], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const { startCodeServer } = await import('./codeServer.mjs');
  const { workbenchUrl } = await import('./testHarness.mjs');
  const port = argValue('--port') ? Number(argValue('--port')) : undefined;
  console.log('start: `code` is not on PATH; starting the browser VS Code (code-server) on 127.0.0.1');
  const vscode = argValue('--vscode');
  const server = await startCodeServer({ ...(port ? { port } : {}), ...(vscode ? { vscode } : {}), settings: { 'telemetry.telemetryLevel': 'off' } });
  const url = workbenchUrl(server.url, { folder, extensionDevelopmentPath: root });
  console.log(`start: open ${url}`);
  console.log('start: press Ctrl+C to stop');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
