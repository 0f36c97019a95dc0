import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { prepareDataDir } from '../bootstrap/data-dir';
import { ConfigError, loadConfig, type AppConfig } from '@platform/config/app-config';
import { disableSchedulesInThisProcess } from '@platform/schedule/scheduler';
import { refreshCommand, statusCommand, type Output } from './commands';
import { EXIT } from './exit-codes';
import { USAGE } from './usage';

const io: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `npm run cli -- <command>`: the refresh pipeline from a shell, in-process, on the same
 * configuration and database as the server (see usage.ts).
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals.at(0);
  if (values.help || command === 'help' || command === undefined) {
    (command === undefined && !values.help ? io.err : io.out)(USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (!['refresh', 'status'].includes(command) || positionals.length > 1) {
    io.err(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    io.err(`--limit must be a whole number from 1 to 200 (got ${values.limit ?? ''})`);
    return EXIT.usage;
  }

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.failed;
    }
    throw error;
  }
  disableSchedulesInThisProcess();
  const dataDirWarnings = prepareDataDir(config);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest types its options as a class; a literal is its documented use
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: cliLogLevels(config.LOG_LEVEL),
  });
  for (const warning of dataDirWarnings) new Logger('DataDir').warn(warning);
  try {
    return command === 'refresh'
      ? await refreshCommand(app, io, values.json === true)
      : await statusCommand(app, io, values.json === true, limit);
  } finally {
    await app.close();
  }
}

/** The CLI prints its own progress; Nest's logs show warnings and errors unless asked for more. */
function cliLogLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] {
  const all: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const quiet = all.indexOf('warn');
  const asked = all.indexOf(level === 'log' ? 'warn' : level);
  return all.slice(0, Math.max(quiet, asked) + 1);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Let stdout drain, then leave even if a library keeps a handle open.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    io.err(
      `audience-sync cli failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(EXIT.failed);
  },
);
