// The waterfall's data: the spans of Jaeger's api/v3 answer, and their rows by depth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, spansOf } from '../src/trace.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function resourceSpans(service: string, spans: object[]): object {
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ spans }],
  };
}

const span = (spanId: string, parentSpanId: string, name: string, start: number, end: number) => ({
  traceId: TRACE,
  spanId,
  parentSpanId,
  name,
  startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(start)),
  endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(end)),
});

describe(spansOf.name, () => {
  it('reads every span with its service, of one or more result documents', () => {
    const first = JSON.stringify({
      result: {
        resourceSpans: [
          resourceSpans('junction-storefront', [
            span('aaaaaaaaaaaaaaaa', '', 'checkout blocking', 0, 900),
          ]),
        ],
      },
    });
    const second = JSON.stringify({
      result: {
        resourceSpans: [
          resourceSpans('orders', [
            span('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 'POST /orders', 100, 800),
          ]),
        ],
      },
    });
    const spans = spansOf(`${first}\n${second}`);
    assert.deepEqual(
      spans.map((s) => [s.service, s.name, s.parentSpanId, Number(s.endNs - s.startNs)]),
      [
        ['junction-storefront', 'checkout blocking', '', 900],
        ['orders', 'POST /orders', 'aaaaaaaaaaaaaaaa', 700],
      ],
    );
  });

  it('turns base64 ids (the protobuf JSON mapping) into hex', () => {
    const [only] = spansOf(
      JSON.stringify({
        result: { resourceSpans: [resourceSpans('orders', [span('AAECAwQFBgc=', '', 'x', 0, 1)])] },
      }),
    );
    assert.equal(only?.spanId, '0001020304050607');
  });
});

describe(rowsOf.name, () => {
  it('puts parents before children, siblings by start, depth by ancestry; an orphan is a root', () => {
    const spans = spansOf(
      JSON.stringify({
        result: {
          resourceSpans: [
            resourceSpans('orders', [
              span('cccccccccccccccc', 'bbbbbbbbbbbbbbbb', 'charge', 500, 600),
              span('dddddddddddddddd', 'bbbbbbbbbbbbbbbb', 'reserve', 200, 300),
              span('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 'POST /orders', 100, 800),
              span('aaaaaaaaaaaaaaaa', '', 'checkout blocking', 0, 900),
              span('eeeeeeeeeeeeeeee', 'ffffffffffffffff', 'late', 950, 990),
            ]),
          ],
        },
      }),
    );
    assert.deepEqual(
      rowsOf(spans).map((row) => `${String(row.depth)} ${row.span.name}`),
      ['0 checkout blocking', '1 POST /orders', '2 reserve', '2 charge', '0 late'],
    );
  });
});
