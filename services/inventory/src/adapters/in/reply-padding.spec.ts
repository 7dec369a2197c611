import { mockOf } from '@junction/platform/testing';
import { InventoryConfig } from '../../config';
import { paddingOf, ReplyPadding } from './reply-padding';

const allowing = (replyPaddingMaxBytes: number): ReplyPadding =>
  new ReplyPadding(mockOf<InventoryConfig>({ replyPaddingMaxBytes }));

describe(paddingOf.name, () => {
  it('gives exactly the bytes asked for', () => {
    for (const bytes of [64, 4096, 262_144]) expect(paddingOf(bytes)).toHaveLength(bytes);
  });

  it('gives nothing for no padding', () => {
    expect(paddingOf(0)).toHaveLength(0);
  });
});

describe(ReplyPadding.name, () => {
  it('is off by default: the public catalog gives no padding to anyone', () => {
    const config = new InventoryConfig(InventoryConfig.env.parse({}));
    expect(config.replyPaddingMaxBytes).toBe(0);
    let refused: unknown;
    try {
      new ReplyPadding(config).of(1);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'invalid_argument' });
    expect(new ReplyPadding(config).of(0)).toHaveLength(0);
  });

  it('gives up to REPLY_PADDING_MAX_BYTES and refuses more, naming the setting', () => {
    expect(allowing(4096).of(4096)).toHaveLength(4096);
    expect(() => allowing(4096).of(4097)).toThrow(/at most 4096 bytes.*REPLY_PADDING_MAX_BYTES/);
  });

  it('refuses a setting above 256 KiB at start', () => {
    expect(InventoryConfig.env.safeParse({ REPLY_PADDING_MAX_BYTES: '262145' }).success).toBe(
      false,
    );
  });
});
