import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

const program = new Command()
  .name('connect-metrics')
  .description('Amazon Connect metrics and reports from CTR and agent-event streams.')
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true });

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`connect-metrics: ${message}`);
  process.exitCode = 1;
});
