// The app's pure parts that talk to the API, run by Node: the events stream parser, the error
// messages a person reads, the trace id of a traceresponse header.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageOf, SESSION_EXPIRED, UNAVAILABLE } from '../src/api/errors.ts';
import { type ServerSentEvent, serverSentEvents } from '../src/api/sse.ts';
import { traceIdOf } from '../src/api/trace-context.ts';

/** A body that arrives in these chunks, as a network would cut it. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function eventsOf(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of serverSentEvents(stream)) events.push(event);
  return events;
}

describe(serverSentEvents.name, () => {
  it("reads the orders service's events: id, event, JSON data", async () => {
    const events = await eventsOf(
      body(
        'id: 1\nevent: status\ndata: {"status":"pending"}\n\n',
        'id: 2\nevent: status\ndata: {"status":"confirmed"}\n\n',
      ),
    );
    assert.deepEqual(events, [
      { event: 'status', data: '{"status":"pending"}', id: '1' },
      { event: 'status', data: '{"status":"confirmed"}', id: '2' },
    ]);
  });

  it('joins an event cut anywhere by the network, a multi-byte character included', async () => {
    const text = 'event: status\ndata: {"reason":"café"}\n\n';
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 5));
        controller.enqueue(bytes.slice(5, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    assert.deepEqual(await eventsOf(stream), [
      { event: 'status', data: '{"reason":"café"}', id: undefined },
    ]);
  });

  it('skips keepalive comments, joins data lines, reads CRLF, names an unnamed event message', async () => {
    const events = await eventsOf(
      body(': keepalive\n\n', 'data: a\r\ndata: b\r\n\r\n', 'data\n\n'),
    );
    assert.deepEqual(events, [
      { event: 'message', data: 'a\nb', id: undefined },
      { event: 'message', data: '', id: undefined },
    ]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    assert.deepEqual(await eventsOf(body('event: status\ndata: {"status":"pen')), []);
  });
});

describe(messageOf.name, () => {
  it('shows each wrong field of a 400 with the API’s message', () => {
    const body = {
      statusCode: 400,
      error: 'invalid_argument',
      message: 'the input is invalid',
      violations: [
        { field: 'password', message: 'must be at least 8 characters' },
        { field: 'email', message: 'must be an email address' },
      ],
    };
    assert.equal(
      messageOf(400, body, null),
      'password: must be at least 8 characters; email: must be an email address',
    );
  });

  it("shows the API's own words for a 401 and a 409, and the session's end without them", () => {
    const conflict = { statusCode: 409, error: 'already_exists', message: 'the email is taken' };
    assert.equal(messageOf(409, conflict, null), 'the email is taken');
    const login = {
      statusCode: 401,
      error: 'unauthenticated',
      message: 'invalid email or password',
    };
    assert.equal(messageOf(401, login, null), 'invalid email or password');
    assert.equal(messageOf(401, undefined, null), SESSION_EXPIRED);
  });

  it('says how long to wait after a 429, from Retry-After', () => {
    assert.equal(messageOf(429, undefined, '7'), 'Too many requests: try again in 7 s.');
    assert.equal(messageOf(429, undefined, null), 'Too many requests: try again later.');
  });

  it('says the service is unavailable for a 502, 503 or 504, and gives a 500 its reference', () => {
    for (const status of [502, 503, 504])
      assert.equal(messageOf(status, undefined, '1'), UNAVAILABLE);
    const internal = { statusCode: 500, error: 'internal', message: 'x', correlationId: 'c-1' };
    assert.match(messageOf(500, internal, null), /reference c-1/);
  });
});

describe(traceIdOf.name, () => {
  it('reads the trace id of a W3C traceresponse header', () => {
    assert.equal(
      traceIdOf('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it('has none for a missing, malformed or all-zero header', () => {
    for (const header of [
      null,
      '',
      'nope',
      '00-0af7651916cd43dd8448eb211c80319c-01',
      `00-${'0'.repeat(32)}-b7ad6b7169203331-01`,
    ]) {
      assert.equal(traceIdOf(header), undefined, String(header));
    }
  });
});
