/** Exit codes of `npm run cli` (sysexits.h where one fits). */
export const EXIT = {
  /** The refresh succeeded (or ended partial: it has a result, with errors it printed). */
  ok: 0,
  /** The refresh failed or was canceled, or the command could not run. */
  failed: 1,
  /** Wrong command line. */
  usage: 2,
  /** Another refresh is running; try again later (EX_TEMPFAIL). */
  busy: 75,
  /** Interrupted with Ctrl-C after the refresh was asked to cancel. */
  interrupted: 130,
} as const;
