import { paddingOf } from './reply-padding';

describe(paddingOf.name, () => {
  it('gives exactly the bytes asked for', () => {
    for (const bytes of [64, 4096, 262_144]) expect(paddingOf(bytes)).toHaveLength(bytes);
  });

  it('gives nothing for no padding', () => {
    expect(paddingOf(0)).toHaveLength(0);
  });
});
