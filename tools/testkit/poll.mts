// Waiting for the system under test to get somewhere: the one polling loop the e2e tests, chaos
// and the bench share.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined, or gives up at the deadline. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/** Polls `condition` until it holds (true) or the deadline passes (false). */
export async function until(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<boolean> {
  const held = await pollUntil(
    async () => ((await condition()) ? true : undefined),
    timeoutMs,
    intervalMs,
  );
  return held === true;
}
