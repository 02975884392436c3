// Prepares what the integration and UI suites need: code-server in the cache folder and
// /usr/bin/chromium. Safe to run repeatedly; a warm run only checks the marker files.
import { ensureChromium, ensureCodeServer } from './codeServer.mjs';

const started = Date.now();
try {
  const [codeServer, chromium] = await Promise.all([ensureCodeServer(), ensureChromium()]);
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `test environment ready in ${seconds(Date.now() - started)}: code-server ${codeServer.installedNow ? `installed (${seconds(codeServer.ms)})` : 'cached'} at ${codeServer.dir}; ` +
      `chromium ${chromium.installedNow ? `installed (${seconds(chromium.ms)})` : 'present'} at ${chromium.path}`,
  );
} catch (err) {
  console.error(`test environment could not be prepared: ${err.message}`);
  process.exit(1);
}
