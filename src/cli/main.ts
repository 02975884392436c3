/**
 * The `smcs` command: the SMCS engine headless, for scripting, evaluation and benchmarks (DESIGN §4).
 * Exit codes: 0 ok, 1 run failed (message on stderr), 2 bad usage or bad config (message names the field).
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_PARAMS } from '../core/types';
import { askCommand } from './commands/ask';
import { bankExportCommand, bankImportCommand, bankStatsCommand } from './commands/bank';
import { benchCommand } from './commands/bench';
import { evalRoutingCommand } from './commands/evalRouting';
import { intOption, numberOption, type GlobalOptions } from './context';
import { exitCodeFor, UsageError } from './errors';

const VERSION = '0.1.0';

function listOption(name: string): (value: string) => number[] {
  return (value) => value.split(',').map((v) => intOption(name, 1)(v.trim()));
}

export function buildProgram(): Command {
  const program = new Command('smcs')
    .description('Multi-LLM collaboration (SMCS): ask several models, aggregate, and pick the best answer.')
    .version(VERSION)
    .option('--config <file>', 'config file (default ./smcs.config.json when present)')
    .option('--bank <dir>', 'question bank folder (overrides the config)')
    .option('--allow-download', 'allow downloading the embedding model without asking')
    .showHelpAfterError()
    .exitOverride();
  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

  program
    .command('ask')
    .description('answer a question with the whole SMCS method')
    .argument('<question>', 'the question')
    .option('--json', 'print the result document as JSON')
    .addOption(new Option('--preset <name>', 'accuracy/cost preset').choices(['quality', 'balanced', 'fast']))
    .option('--verbose', 'log diagnostics to stderr')
    .action((question: string, _opts, cmd: Command) => askCommand(question, globals(cmd)));

  const bank = program.command('bank').description('manage the question bank');
  bank
    .command('import')
    .description('import bank JSONL files (validated fully before anything is written)')
    .argument('<files...>', 'JSONL files')
    .option('--json', 'print a JSON summary')
    .action((files: string[], _opts, cmd: Command) => bankImportCommand(files, globals(cmd)));
  bank
    .command('export')
    .description('write the bank as JSONL (stdout, or --out FILE)')
    .option('--out <file>', 'output file (written atomically)')
    .action((_opts, cmd: Command) => bankExportCommand(globals(cmd)));
  bank
    .command('stats')
    .description('size, embedder, and label coverage and accuracy per model')
    .option('--json', 'print JSON')
    .action((_opts, cmd: Command) => bankStatsCommand(globals(cmd)));

  const evaluate = program.command('eval').description('offline evaluations');
  evaluate
    .command('routing')
    .description('k-fold cross-validation of retrieval-based prior selection on a labelled bank file')
    .requiredOption('--bank-file <file>', 'bank JSONL with "correct" labels')
    .option('--folds <n>', 'folds when the file has no "fold" fields', intOption('--folds', 2, 1000), 5)
    .option('--k <n>', 'referencers selected', intOption('--k', 1, 64), DEFAULT_PARAMS.k)
    .option('--n-base <n>', 'rank of the similarity that sets the threshold', intOption('--n-base', 1), DEFAULT_PARAMS.nBase)
    .option('--gamma <x>', 'threshold factor', numberOption('--gamma', 0, 1), DEFAULT_PARAMS.gamma)
    .option('--seed <n>', 'seed of the fold shuffle', intOption('--seed', 0), 0)
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => {
      await evalRoutingCommand(globals(cmd) as Parameters<typeof evalRoutingCommand>[0]);
    });

  program
    .command('bench')
    .description('retrieval latency by bank size, and pipeline overhead against a loopback server')
    .option('--sizes <list>', 'bank sizes', listOption('--sizes'), [1000, 10000, 100000])
    .option('--dim <n>', 'vector dimension', intOption('--dim', 1, 8192), 384)
    .option('--runs <n>', 'pipeline runs (median reported)', intOption('--runs', 1, 100), 3)
    .option('--dir <dir>', 'where the benchmark banks are built (reused between runs)')
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => {
      await benchCommand(globals(cmd) as Parameters<typeof benchCommand>[0]);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    const code = exitCodeFor(err);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`smcs: ${code === 2 && !(err instanceof UsageError) ? 'bad config: ' : ''}${message}\n`);
    return code;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
