import { faultFor } from './fault-settings';

const defaults = { latencyMs: 25, errorRate: 0.1 };

describe(faultFor.name, () => {
  it('uses the env defaults when nothing is set at runtime', () => {
    expect(faultFor('charge', {}, defaults)).toEqual({ latencyMs: 25, errorRate: 0.1 });
  });

  it('lets service-wide runtime settings win over the env defaults', () => {
    expect(faultFor('charge', { latency_ms: '300', error_rate: '0' }, defaults)).toEqual({
      latencyMs: 300,
      errorRate: 0,
    });
  });

  it('lets an operation setting win over the service-wide one, field by field', () => {
    const stored = { latency_ms: '300', error_rate: '0.5', 'refund.error_rate': '1' };
    expect(faultFor('refund', stored, defaults)).toEqual({ latencyMs: 300, errorRate: 1 });
    expect(faultFor('charge', stored, defaults)).toEqual({ latencyMs: 300, errorRate: 0.5 });
  });

  it('ignores values the CLI would never write and caps the rest', () => {
    const stored = { latency_ms: 'slow', 'charge.latency_ms': '-5', error_rate: '7' };
    expect(faultFor('charge', stored, defaults)).toEqual({ latencyMs: 25, errorRate: 1 });
  });
});
