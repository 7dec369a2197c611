/** Polls `probe` until it returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${String(ms)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
