import { runCli } from './program';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`greentic-studio: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
