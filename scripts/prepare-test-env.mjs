// Prepares what the test suites need: both code-server releases (VS Code 1.104 and 1.139, installed side by side) in
// the cache folder, Chromium's headless shell (with /usr/bin/chromium for its libraries), and PostgreSQL with
// pgvector (installed as root when missing). Safe to run repeatedly; a warm run only checks what is there.
// Arguments narrow it: `npm run test:env -- postgres` prepares only PostgreSQL (e.g. `sudo npm run test:env -- postgres`).
// Runs under tsx (see package.json) because the PostgreSQL part is the tests' own TypeScript fixture.
import { ensureChromium, ensureCodeServers } from './codeServer.mjs';
import { ensurePostgres } from '../test/fixtures/postgresInstall.ts';

const wanted = process.argv.slice(2);
const wants = (part) => wanted.length === 0 || wanted.includes(part);
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
try {
  const [codeServers, chromium, postgres] = await Promise.all([
    wants('code-server') ? ensureCodeServers() : [],
    wants('chromium') ? ensureChromium() : undefined,
    wants('postgres') ? ensurePostgres() : undefined,
  ]);
  const parts = [
    ...codeServers.map(
      (cs) => `code-server for VS Code ${cs.vscode} ${cs.installedNow ? `installed (${seconds(cs.ms)})` : 'cached'} at ${cs.dir}`,
    ),
    chromium && `Chromium's headless shell ${chromium.installedNow ? `installed (${seconds(chromium.ms)})` : 'present'} at ${chromium.path}`,
    postgres &&
      `PostgreSQL ${postgres.version} with pgvector ${postgres.vectorVersion} ${postgres.installedNow.length ? `(installed ${postgres.installedNow.join(', ')} in ${seconds(postgres.ms)})` : 'present'} in ${postgres.binDir}`,
  ].filter(Boolean);
  console.log(`test environment ready in ${seconds(Date.now() - started)}: ${parts.join('; ')}`);
} catch (err) {
  console.error(`test environment could not be prepared: ${err.message}`);
  process.exit(1);
}
