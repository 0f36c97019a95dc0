/** The process that runs (or ran) a run: a start-up tells a live owner from a dead one. */
export interface RunOwner {
  host: string;
  pid: number;
  /** Random per process start, so a reused pid is not mistaken for the owner. */
  bootId: string;
}
