/** Bytes of a redis.conf memory value (`80mb`, `1gb`, a plain number), as Redis reads it. */
export function redisBytes(value: string): number {
  const match = /^(\d+)(kb|mb|gb|k|m|g)?$/i.exec(value.trim());
  if (!match) throw new Error(`not a Redis memory value: ${value}`);
  const units: Record<string, number> = {
    '': 1,
    k: 1e3,
    kb: 2 ** 10,
    m: 1e6,
    mb: 2 ** 20,
    g: 1e9,
    gb: 2 ** 30,
  };
  return Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? NaN);
}
