type Closable = { close(): unknown } | { stop(): unknown };

/**
 * A suite's teardown: closes each thing in order, skipping what its set-up never opened (a failed
 * beforeAll leaves it unset) and going on past a step that throws, then rethrows the first
 * failure. A half-done set-up must never leave a server running: Jest would not exit.
 */
export async function closeAll(
  ...steps: (Closable | (() => unknown) | null | undefined)[]
): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      if (step == null) continue;
      if (typeof step === 'function') await step();
      else if ('close' in step) await step.close();
      else await step.stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
