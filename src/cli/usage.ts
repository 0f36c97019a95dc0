export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  refresh          Run a refresh now (ingest → unify → segments → export) in this process,
                   printing each stage's progress. Ctrl-C cancels it at the next safe point.
                   Exit code: 0 succeeded or partial, 1 failed or canceled,
                   75 another refresh is running.
  status           Show the last refresh runs (of the server, the schedule and the CLI).
  help             Show this help.

Options:
  --limit <n>      status: how many runs to show (default 10, at most 200)
  --json           Print JSON instead of text
  -h, --help       Show this help

The CLI reads the same settings as the server (DATA_DIR, DATABASE_URL, …; see README.md) and
works on the same database. It never runs the refresh schedule: the server does.
`;
