/**
 * The `smcs` command: the SMCS engine headless, for scripting, evaluation and benchmarks (docs/cli-and-server.md).
 * Exit codes: 0 ok, 1 run failed (message on stderr), 2 bad usage or bad config (message names the field).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PARAMS, PRESETS } from '../core/contracts/types';
import { ConfigError, MAX_PRIOR_SHRINKAGE, type PriorShrinkageSetting } from '../core/contracts/config';
import { askCommand } from './commands/ask';
import { bankExportCommand, bankFeedbackCommand, bankImportCommand, bankRecoverCommand, bankStatsCommand } from './commands/bank';
import { bankCopyCommand, bankMigrateCommand } from './commands/bankCopy';
import { benchCommand } from './commands/bench';
import { evalChecksCommand } from './commands/evalChecks';
import { evalContextCommand } from './commands/evalContext';
import { evalE2eCommand } from './commands/evalE2e';
import { evalRoutingCommand } from './commands/evalRouting';
import { profileCommand } from './commands/profile';
import { serveCommand } from './commands/serve';
import { keysAddCommand, keysLimitCommand, keysListCommand, keysRevokeCommand, usageCommand } from './commands/keys';
import { BUDGET_PERIODS } from '../server/team/budgetPeriod';
import { USAGE_GROUPINGS } from '../server/team/spendLedger';
import { intOption, numberOption, userPath, type GlobalOptions, type Terminal } from './context';
import { exitCodeFor, UsageError } from './errors';
import { listenForInterrupts } from './interrupt';
import { errorMessage } from '../core/contracts/errors';
import { DEFAULT_STAGES, type RetrievalStages } from '../core/retrieval/ranking';
import { cleanMessage } from '../core/util/redact';

const VERSION = '0.1.0';

/** `--prior-shrinkage`: "auto" or a number of questions, as the config's `priorShrinkage`. */
function priorShrinkageOption(value: string): PriorShrinkageSetting {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_PRIOR_SHRINKAGE) throw new UsageError(`--prior-shrinkage must be auto or a number from 0 to ${MAX_PRIOR_SHRINKAGE}, got ${JSON.stringify(value)}`);
  return n;
}

function listOption(name: string, min = 1): (value: string) => number[] {
  return (value) => value.split(',').map((v) => intOption(name, min)(v.trim()));
}

const STAGE_NAMES = Object.keys(DEFAULT_STAGES) as (keyof RetrievalStages)[];

/** `--stages lexical,evidence`: the retrieval stages that run, exactly those named. */
function stageList(value: string): RetrievalStages {
  const on = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const unknown = on.find((v) => !(STAGE_NAMES as string[]).includes(v));
  if (unknown !== undefined) throw new UsageError(`--stages: ${JSON.stringify(unknown)} is not a retrieval stage (${STAGE_NAMES.join(', ')})`);
  return Object.fromEntries(STAGE_NAMES.map((s) => [s, on.includes(s)])) as unknown as RetrievalStages;
}

/** The global options merged with the subcommand's own, and the signal that stops the command. */
type Globals = (cmd: Command) => GlobalOptions;

/** `smcs ask`: one question through the whole method. */
function addAskCommand(program: Command, globals: Globals): void {
  program
    .command('ask')
    .description('answer a question with the whole SMCS method')
    .argument('[question]', 'the question; - reads it from stdin')
    .option('--question-file <path>', 'read the question from this file (a long question the shell would not pass)', userPath)
    .option('--json', 'print the result document as JSON')
    .addOption(new Option('--preset <name>', 'accuracy/cost preset').choices(Object.keys(PRESETS)))
    .option('--verbose', 'log diagnostics to stderr')
    .option('--thread <file>', 'continue the conversation kept in this JSON file (created when missing); this turn is appended', userPath)
    .option('--max-cost <usd>', 'the most this question may cost in USD (default: the config\'s maxCostPerQuestion)', (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be an amount of USD above 0');
      return n;
    })
    .option('--workspace <dir>', 'the folder the question is about: code relevant to it is retrieved and sent to every model', userPath)
    .option('--file <path>', 'attach a file (repeatable); it is sent whole when it fits', (v: string, all: string[] = []) => [...all, userPath(v)])
    .option('--open <path[:line]>', 'the file open in the editor, the cursor on line (default 1): the part the question refers to goes (none when it does not refer to it), as from the extension', userPath)
    .option('--allow-secrets', 'send an attached file that holds secrets (a .env, a key, a password in its text) as it is; without it such a file is refused')
    .addOption(new Option('--context <mode>', 'retrieve code from the workspace when the question concerns it (auto), for any question (always), or send only the attached files (none)').choices(['auto', 'always', 'none']).default('auto'))
    .action((question: string | undefined, _opts, cmd: Command) => askCommand(question, globals(cmd)));
}

/** `smcs bank …`: import, export, stats, recover and the feedback questions. */
function addBankCommands(program: Command, globals: Globals): void {
  const bank = program.command('bank').description('manage the question bank');
  bank
    .command('import')
    .description('import questions and labels: bank JSONL, lm-evaluation-harness --log_samples output, or MMLU-Pro model outputs (validated fully before anything is written; records that cannot be used are skipped and counted per reason)')
    .argument('<paths...>', 'files or folders', (v: string, all: string[] = []) => [...all, userPath(v)])
    .addOption(new Option('--format <format>', 'input format (default: detected from the first path)').choices(['auto', 'jsonl', 'lm-eval', 'mmlu-pro']).default('auto'))
    .option('--alias <source=key>', 'map a source model name to a bank model key (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--model <name>', 'lm-eval: the evaluated model (default: read from results_*.json)')
    .option('--metric <name>', 'lm-eval: the metric that decides correctness (default: the first numeric one)')
    .option('--filter <name>', 'lm-eval: the filter to keep (default: the first in each file)')
    .option('--strict', 'refuse the whole import when any record cannot be used, instead of skipping it')
    .option('--json', 'print a JSON summary')
    .action((paths: string[], _opts, cmd: Command) => bankImportCommand(paths, globals(cmd)));
  bank
    .command('export')
    .description('write the bank as JSONL (stdout, or --out FILE)')
    .option('--out <file>', 'output file (written atomically)', userPath)
    .action((_opts, cmd: Command) => bankExportCommand(globals(cmd)));
  bank
    .command('stats')
    .description('size, embedder, label coverage and accuracy per model, overall and by domain')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankStatsCommand(globals(cmd)));
  bank
    .command('recover')
    .description('restore what a damaged bank set aside (a newer generation it could not load), or delete it with --discard')
    .option('--discard', 'delete the set-aside data instead, after saying what it holds')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankRecoverCommand(globals(cmd)));
  bank
    .command('copy')
    .description('copy a bank into another, a folder or a team bank URL each way (resumable: what is there already is not copied again)')
    .requiredOption('--from <folder|url>', 'the bank to copy')
    .requiredOption('--to <folder|url>', 'the bank to copy into (created when missing; a team bank needs its schema: smcs bank migrate-schema)')
    .option('--json', 'print a JSON summary')
    .action(async (_opts, cmd: Command) => {
      await bankCopyCommand(globals(cmd) as Parameters<typeof bankCopyCommand>[0]);
    });
  bank
    .command('migrate-schema')
    .description('create or upgrade the schema of the team bank that --bank (or the config) names; run by a role that may create tables')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankMigrateCommand(globals(cmd)));
  addFeedbackCommands(bank, globals);
}

/** `smcs bank feedback …`: list, remove or clear the questions learnt from the user's choices. */
function addFeedbackCommands(bank: Command, globals: Globals): void {
  const feedback = bank.command('feedback').description('questions learnt from your choices of reply (source: feedback)');
  feedback
    .command('list')
    .description('list feedback questions with their labels')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankFeedbackCommand('list', [], globals(cmd)));
  feedback
    .command('remove')
    .description('remove feedback questions by id')
    .argument('<ids...>', 'feedback question ids (feedback-…)')
    .option('--json', 'print JSON')
    .action((ids: string[], _opts, cmd: Command) => bankFeedbackCommand('remove', ids, globals(cmd)));
  feedback
    .command('clear')
    .description('remove every feedback question')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankFeedbackCommand('clear', [], globals(cmd)));
}

/** `smcs profile`: label the bank by asking the configured models. */
function addProfileCommand(program: Command, globals: Globals): void {
  program
    .command('profile')
    .description('ask models the bank questions they have no label for, grade the replies and store the labels (resumable)')
    .option('--models <list>', 'comma-separated model keys (default: every configured model)')
    .option('--limit <n>', 'profile at most this many gradable questions', intOption('--limit', 1))
    .option('--concurrency <n>', 'requests in flight at most (per-endpoint maxConcurrency still applies)', intOption('--concurrency', 1, 256), 8)
    .option('--max-tokens <n>', 'token limit per reply, reasoning included (default: profileMaxTokens of the config, 4096); a reply cut by it is not a label', intOption('--max-tokens', 1, 1_000_000))
    .option('--starter', 'import the shipped starter bank first when the bank is empty')
    .option('--enable-code-grader', 'also profile `code` questions: runs model-written Python locally (limited, network blocked where possible)')
    .option('--yes', 'start without asking for confirmation')
    .option('--json', 'print the estimate on stderr and one JSON document on stdout')
    .action((_opts, cmd: Command) => profileCommand(globals(cmd)));
}

/** `smcs eval …`: offline evaluations. */
function addEvalCommands(program: Command, globals: Globals): void {
  const evaluate = program.command('eval').description('offline evaluations');
  evaluate
    .command('routing')
    .description('k-fold cross-validation of retrieval-based prior selection on a labelled bank file, or on the bank --bank names')
    .option('--bank-file <file>', 'bank JSONL with "correct" labels (else the questions of --bank)', userPath)
    .option('--folds <n>', 'folds when the file has no "fold" fields', intOption('--folds', 2, 1000), 5)
    .option('--k <n>', 'referencers selected', intOption('--k', 1, 64), DEFAULT_PARAMS.k)
    .option('--n-base <n>', 'rank of the similarity that sets the threshold', intOption('--n-base', 1), DEFAULT_PARAMS.nBase)
    .option('--gamma <x>', 'threshold factor', numberOption('--gamma', 0, 1), DEFAULT_PARAMS.gamma)
    .option('--seed <n>', 'seed of the fold shuffle', intOption('--seed', 0), 0)
    .option('--prices <file>', 'JSON {"<model>": {"prompt": USD per token, "completion": USD per token}}: adds each model\'s cost and the accuracy–cost frontier of price-aware routing', userPath)
    .option('--plot <file.svg>', 'draw the frontier against the single models as SVG (needs --prices)', userPath)
    .option('--prior-shrinkage <auto|x>', 'α of the shrunk priors reported beside the paper\'s (`shrunk`): auto = each fold chooses its own from the other folds, as an ask does from the bank; or a number of questions ≥ 0', priorShrinkageOption, 'auto')
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => {
      await evalRoutingCommand(globals(cmd) as Parameters<typeof evalRoutingCommand>[0]);
    });
  evaluate
    .command('checks')
    .description('how far the code checks reach: per source and shape of examples, questions with checks, checks, examples that could not be checked, and whether the checks favour the right reply (JSONL rows {"question", "replies", "right"?, "source"?, "context"?})')
    .argument('<file>', 'JSONL file of questions with replies', userPath)
    .option('--json', 'print JSON')
    .action(async (file: string, _opts, cmd: Command) => {
      await evalChecksCommand({ ...(globals(cmd) as Omit<Parameters<typeof evalChecksCommand>[0], 'file'>), file });
    });
  evaluate
    .command('e2e')
    .description('the whole method on code questions with several models\' recorded replies (JSONL rows {"id", "question", "replies": {model: text}, "correct": {model: 0|1}}), cross-fitted banks: what the answer solves beside the best single model, routing\'s top-1, the majority of the K routed and any of them (per "domain" too, when rows give one)')
    .argument('<file>', 'JSONL file of questions with recorded replies and labels', userPath)
    .option('--folds <n>', 'folds: each is asked against a bank of the others', intOption('--folds', 2, 1000), 2)
    .option('--k <n>', 'referencers selected', intOption('--k', 1, 64), 3)
    .option('--n <n>', 'subset draws', intOption('--n', 1, 64), 4)
    .option('--k-drop <n>', 'references dropped from each subset', intOption('--k-drop', 0, 63), DEFAULT_PARAMS.kDrop)
    .option('--seeds <list>', 'seeds of the subset draws, comma-separated: the set is asked once per seed (the folds stay the same)', listOption('--seeds', 0), [0])
    .option('--logprobs', 'replay the replies with token log-probabilities (fixed by each text, unrelated to whether it is right), as an endpoint that returns them would')
    .addOption(new Option('--agreement-shortcut [scope]', 'turn the agreement shortcut on (fewer aggregations when the referencers agree): on every question as the balanced and budget modes do, or `answers`, on option questions as quality does by default; compare calls per ask and accuracy with it off').choices(['answers']))
    .option('--json', 'print JSON (with every question\'s outcome)')
    .action(async (file: string, _opts, cmd: Command) => {
      await evalE2eCommand({ ...(globals(cmd) as Omit<Parameters<typeof evalE2eCommand>[0], 'file'>), file });
    });
  evaluate
    .command('context')
    .description('how well workspace context finds the code a question is about: recall@1/3/5/10 of the gold files among the files an ask would send, the tokens sent, their share of prose and the time per question, beside a plain BM25 over the code files (JSONL rows {"question", "gold": [paths], "workspace"?: subfolder}; gold [] = a plain question, whose request growth is reported)')
    .argument('<file>', 'JSONL file of questions with the files their answers are in', userPath)
    .requiredOption('--workspace <dir>', 'the workspace folder (or the folder holding each row\'s "workspace")', userPath)
    .addOption(new Option('--editor <state>', 'the editor each question is asked in: no file open (none), the largest code file that is not a gold one open (unrelated), or the first gold file open (relevant), at its middle line').choices(['none', 'unrelated', 'relevant']).default('none'))
    .option('--stages <list>', `the retrieval stages that run, comma-separated, to measure what each brings: of ${STAGE_NAMES.join(', ')} (without evidence every question searches); default ${STAGE_NAMES.filter((s) => DEFAULT_STAGES[s]).join(',')}`, stageList)
    .option('--json', 'print JSON')
    .action(async (file: string, _opts, cmd: Command) => {
      await evalContextCommand({ ...(globals(cmd) as Omit<Parameters<typeof evalContextCommand>[0], 'file'>), file });
    });
}

/** `smcs bench`: retrieval, pipeline-overhead and code-check benchmarks; `--stragglers`: the straggler deadline's time and accuracy; `--first-words`: the time a person waits. */
function addBenchCommand(program: Command, globals: Globals): void {
  program
    .command('bench')
    .description('retrieval latency by bank size, pipeline overhead against a loopback server, and the time code checks add; with --stragglers, what the straggler deadline saves in time and costs in accuracy; with --first-words, the time a person waits for one model and for the smcs model through smcs serve')
    .option('--sizes <list>', 'bank sizes', listOption('--sizes'), [1000, 10000, 100000])
    .option('--dim <n>', 'vector dimension', intOption('--dim', 1, 8192), 384)
    .option('--runs <n>', 'pipeline, code-check and first-words runs (median reported)', intOption('--runs', 1, 100), 3)
    .option('--dir <dir>', 'where the benchmark banks are built (reused between runs)', userPath)
    .option('--import', 'also time importing a synthetic MMLU-Pro-shaped set (29 files, ~300k records)')
    .addOption(new Option('--store <store>', 'postgres: measure a team bank (--bank URL of a scratch database) beside the local store').choices(['local', 'postgres']).default('local'))
    .option('--local-sizes <list>', 'with --store postgres: sizes of the local store measured beside it (default: the sizes up to 300000)', listOption('--local-sizes'))
    .option('--queries <n>', 'with --store postgres: timed queries per size', intOption('--queries', 1, 10000))
    .option('--workspace-files <n>', 'only the workspace benchmark: index build, re-index of one file, context assembly, index size on a generated workspace of n files', intOption('--workspace-files', 10, 1_000_000))
    .option('--stragglers <set.jsonl>', 'only the straggler-deadline benchmark: a replay set of recorded replies (as `smcs eval e2e` reads; test/fixtures/e2e/humaneval-replay.jsonl in the repository) asked waiting for all and with the deadline under simulated latencies: time to the answer (p50, p90) and accuracy of each', userPath)
    .option('--token-count', 'only the token-count benchmark: the language model provider\'s token count over a synthetic agent turn (VS Code\'s agent asks ~2,500 times a turn)')
    .option('--first-words', 'only the first-words benchmark: one model through smcs serve\'s pass-through (smcs/<model>) and the smcs model (agreement shortcut off; on with replies that differ; on with replies that agree) streamed with the openai SDK from an in-process server over a loopback upstream: time to the first content words, to the whole answer, content deltas and upstream calls (median of --runs), against issue 68\'s goals')
    .option('--reply-tokens <n>', 'with --first-words: words of every reply (default 300)', intOption('--reply-tokens', 5, 100_000))
    .option('--tokens-per-second <r>', 'with --first-words: words a second every model writes (default 50)', numberOption('--tokens-per-second', 1, 1000))
    .option('--seeds <list>', 'with --stragglers: seeds of the simulated latencies and the subset draws, comma-separated', listOption('--seeds', 0))
    .option('--straggler-factor <x>', 'with --stragglers: the deadline policy\'s factor (default: the config default, 1)', numberOption('--straggler-factor', 0, 100))
    .option('--k <n>', 'with --stragglers: referencers selected (default 7); with --first-words: referencers (default 3, at least 2)', intOption('--k', 1, 64))
    .option('--n <n>', 'with --first-words: subset draws (default 4)', intOption('--n', 1, 64))
    .option('--k-drop <n>', 'with --stragglers: references dropped from each subset (default 1)', intOption('--k-drop', 0, 63))
    .option('--team', 'only the team server\'s benchmark: key check + reservation + ledger per ask at 50 asks/s, on the scratch database --database names')
    .option('--database <url>', 'with --team: a scratch team database (a bench key is added and revoked)')
    .option('--asks <n>', 'with --team: asks timed', intOption('--asks', 10, 1_000_000))
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => {
      await benchCommand(globals(cmd) as Parameters<typeof benchCommand>[0]);
    });
}

const DATABASE_HELP = 'the team database (default: the config\'s team bank URL); its smcs_team schema is created or upgraded';

/** `smcs keys …` and `smcs usage`: a team server's keys, budgets and spend. */
function addTeamCommands(program: Command, globals: Globals): void {
  const keys = program.command('keys').description('keys of a team server (smcs serve --team): one per person, with a budget and a rate');
  const limitOptions = (cmd: Command): Command =>
    cmd
      .option('--budget <usd>', 'the most the key may spend per period, in USD', numberOption('--budget', 0, 1e9))
      .addOption(new Option('--per <period>', 'the budget\'s period (UTC)').choices(BUDGET_PERIODS))
      .option('--rpm <n>', 'requests per minute, across every server on the database', intOption('--rpm', 1, 1_000_000))
      .option('--database <url>', DATABASE_HELP)
      .option('--json', 'print JSON');
  limitOptions(keys.command('add').description('create a key for NAME and print it once (only a salted hash is kept)').argument('<name>', 'the person or group')).action((name: string, _opts, cmd: Command) =>
    keysAddCommand(name, globals(cmd)),
  );
  limitOptions(keys.command('limit').description('change the budget or rate of NAME\'s key (recorded in the audit)').argument('<name>', 'the key\'s name'))
    .option('--no-budget', 'remove the budget')
    .action((name: string, _opts, cmd: Command) => keysLimitCommand(name, globals(cmd)));
  keys
    .command('list')
    .description('every key: created, last used, budget, spent this period')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => keysListCommand(globals(cmd)));
  keys
    .command('revoke')
    .description('revoke NAME\'s key: every server on the database refuses it from its next request')
    .argument('<name>', 'the key\'s name')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON')
    .action((name: string, _opts, cmd: Command) => keysRevokeCommand(name, globals(cmd)));
  program
    .command('usage')
    .description('what the team server\'s upstream calls cost, from its spend ledger')
    .addOption(new Option('--by <grouping>', 'group by').choices(USAGE_GROUPINGS).default('key'))
    .option('--since <date|Nd>', 'from this date (YYYY-MM-DD, UTC) or N days back (default 30d)')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => usageCommand(globals(cmd) as Parameters<typeof usageCommand>[0]));
}

/** `smcs serve`: the engine behind OpenAI's chat-completions protocol. */
function addServeCommand(program: Command, globals: Globals): void {
  program
    .command('serve')
    .description('serve the engine as an OpenAI-compatible API (GET /v1/models, POST /v1/chat/completions) for other tools; the first stdout line says where')
    .option('--host <host>', 'address to listen on (anything but loopback needs --api-key or SMCS_SERVER_KEY)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', intOption('--port', 0, 65535), 8765)
    .option('--api-key <key>', 'the bearer key clients must send (default: SMCS_SERVER_KEY, else a key generated once into a 0600 file whose path is printed)')
    .option('--max-concurrent <n>', 'chat requests at once; more get 429 with Retry-After', intOption('--max-concurrent', 1, 1024), 4)
    .option('--no-learn', 'do not label referencers in the bank when their code passes or fails the question\'s own examples')
    .option('--team', 'a team server: each person sends their own key (smcs keys add), with its budget, rate and spend kept in the team database')
    .option('--database <url>', 'with --team: the team database (default: the config\'s team bank URL)')
    .addOption(new Option('--upstream-user <what>', 'with --team: the OpenAI `user` field of upstream requests, the key\'s name or an opaque key-<id>').choices(['name', 'id']).default('name'))
    .option('--reservation-ttl <s>', 'with --team: seconds a stopped server\'s reservations keep blocking budget', intOption('--reservation-ttl', 1, 86_400), 60)
    .option('--retention-days <n>', 'with --team: spend ledger rows older than this are deleted (hourly, in batches)', intOption('--retention-days', 1, 36_500), 90)
    .option('--verbose', 'log the engine\'s diagnostics too')
    .action(async (_opts, cmd: Command) => {
      await serveCommand(globals(cmd) as Parameters<typeof serveCommand>[0]);
    });
}

/** The `smcs` command line: global options and every subcommand. */
export function buildProgram(signal?: AbortSignal, allowCleanup?: (ms: number) => void, terminal?: Terminal): Command {
  const globals: Globals = (cmd) => ({ ...cmd.optsWithGlobals<GlobalOptions>(), ...(signal ? { signal } : {}), ...(allowCleanup ? { allowCleanup } : {}), ...(terminal ? { terminal } : {}) });
  const program = new Command('smcs')
    .description('Multi-LLM collaboration (SMCS): ask several models, aggregate, and pick the best answer.')
    .version(VERSION)
    .option('--config <file>', 'config file (default ./smcs.config.json when present)', userPath)
    .option('--bank <folder|url>', 'question bank: a folder, or a team bank postgres://user@host:port/db?sslmode=… (overrides the config)')
    .option('--allow-download', 'allow downloading the embedding model without asking')
    .showHelpAfterError()
    .exitOverride();
  addAskCommand(program, globals);
  addBankCommands(program, globals);
  addProfileCommand(program, globals);
  addEvalCommands(program, globals);
  addBenchCommand(program, globals);
  addServeCommand(program, globals);
  addTeamCommands(program, globals);
  return program;
}

/** Ends the process after SIGINT or SIGTERM when the command did not end it by itself (see interrupt.ts). */
function forcedExit(code: number, message?: string): void {
  if (message !== undefined) process.stderr.write(message);
  process.exit(code);
}

/**
 * Runs `smcs argv`; the exit code. SIGINT and SIGTERM stop the command, which then exits 130 or 143. `terminal` says
 * which of stdout and stderr are terminals when not the process's own (cli/context `terminalOf`).
 */
export async function main(argv: readonly string[], terminal?: Terminal): Promise<number> {
  const interruption = listenForInterrupts(forcedExit);
  const program = buildProgram(interruption.signal, (ms) => interruption.allowCleanup(ms), terminal);
  try {
    await program.parseAsync(argv);
    return interruption.exitCode ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (interruption.received !== undefined) {
      process.stderr.write(`smcs: interrupted by ${interruption.received}\n`);
      return interruption.exitCode ?? 1;
    }
    const code = exitCodeFor(err);
    const message = errorMessage(err);
    // Errors are redacted where they are made; this is the last line of defence before the terminal.
    process.stderr.write(cleanMessage(`smcs: ${err instanceof ConfigError ? 'bad config: ' : ''}${message}\n`));
    return code;
  } finally {
    interruption.dispose();
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
