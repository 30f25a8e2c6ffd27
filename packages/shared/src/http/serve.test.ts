import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withDeadline } from '../../../../test/harness/support.js';
import { listen } from './serve.js';

/** A promise and its resolver, for handlers the test releases by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

/** Settles on the next turn of the event loop: true if `p` has settled by then. */
async function hasSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => { settled = true; }, () => { settled = true; });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return settled;
}

const serve = suite('listen');

serve('is a function; binds a free port on the host given', async () => {
  assert.type(listen, 'function');
  const served = await listen((_req, res) => res.end('hi'), { port: 0, host: '127.0.0.1' });
  try {
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.is(await (await fetch(served.url)).text(), 'hi');
  } finally {
    await served.close(1_000);
  }
});

serve('close waits for an in-flight slow request, refuses new ones, then ends', async () => {
  const arrived = gate();
  const release = gate();
  const served = await listen(async (_req, res) => {
    arrived.open();
    await release.promise;
    res.end('finished');
  }, { port: 0, host: '127.0.0.1' });

  const slow = fetch(served.url).then((r) => r.text());
  await withDeadline(arrived.promise, 5_000, 'the slow request reaching the handler');
  const closed = served.close(10_000);
  assert.ok(served.closing.aborted, 'the closing signal fires');
  assert.not.ok(await hasSettled(closed), 'close waits while a request is in flight');
  const refused = await fetch(served.url).then(() => 'answered', (err: Error) => (err.cause as { code?: string })?.code ?? err.message);
  assert.is(refused, 'ECONNREFUSED');

  release.open();
  assert.is(await withDeadline(slow, 5_000, 'the slow response'), 'finished');
  await withDeadline(closed, 5_000, 'close after the last request');
  assert.not.ok(served.server.listening);
});

serve('an idle keep-alive connection does not hold close up', async () => {
  const served = await listen((_req, res) => res.end('ok'), { port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true });
  try {
    const body = await new Promise<string>((resolve, reject) => {
      request(served.url, { agent }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    assert.is(body, 'ok');
    // The deadline is far away: only closing the idle socket lets close end before it.
    await withDeadline(served.close(60_000), 5_000, 'close with an idle keep-alive socket');
  } finally {
    agent.destroy();
  }
});

serve('a keep-alive connection whose request finishes during close is let go', async () => {
  const arrived = gate();
  const release = gate();
  const served = await listen(async (_req, res) => {
    arrived.open();
    await release.promise;
    res.end('done');
  }, { port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true });
  try {
    const answer = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
      request(served.url, { agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ body, connection: res.headers.connection }));
      }).on('error', reject).end();
    });
    await withDeadline(arrived.promise, 5_000, 'the request reaching the handler');
    const closed = served.close(60_000);
    release.open();
    assert.is((await withDeadline(answer, 5_000, 'the response')).body, 'done');
    await withDeadline(closed, 5_000, 'close once the keep-alive request is answered');
  } finally {
    agent.destroy();
  }
});

serve('at the deadline close cuts a response that never ends (an SSE stream)', async () => {
  const served = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: first\n\n');
  }, { port: 0, host: '127.0.0.1' });
  const res = await fetch(served.url);
  const reader = res.body!.getReader();
  const first = await withDeadline(reader.read(), 5_000, 'the first event');
  assert.match(new TextDecoder().decode(first.value), 'data: first');

  await withDeadline(served.close(50), 5_000, 'close after its deadline');
  const after = await withDeadline(reader.read().then((r) => (r.done ? 'ended' : 'more data'), () => 'cut'), 5_000, 'the stream ending');
  assert.ok(after === 'ended' || after === 'cut', `stream should be over, got ${after}`);
});

serve('keepAliveSeconds is announced, and an idle connection is closed by the server after it', async () => {
  const served = await listen((_req, res) => res.end('hi'), { port: 0, host: '127.0.0.1', keepAliveSeconds: 1 });
  try {
    assert.ok(served.server.headersTimeout > served.server.keepAliveTimeout, 'headers deadline above the idle lifetime');
    const { port } = new URL(served.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString()));
    const ended = new Promise<string>((resolve) => socket.once('end', () => resolve('server ended it')));
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    // The client never closes: only the server's idle timer can end this connection.
    assert.is(await withDeadline(ended, 10_000, 'the server to close the idle connection'), 'server ended it');
    assert.match(received, /^HTTP\/1\.1 200 /);
    assert.match(received, /\r\nKeep-Alive: timeout=1\r\n/i);
    assert.match(received, /\r\n\r\nhi$/);
    socket.destroy();
  } finally {
    await served.close(1_000);
  }
});

serve('without keepAliveSeconds Node keeps its own 5 s idle lifetime', async () => {
  const served = await listen((_req, res) => res.end('hi'), { port: 0, host: '127.0.0.1' });
  try {
    const res = await fetch(served.url);
    assert.is(res.headers.get('keep-alive'), 'timeout=5');
    await res.text();
  } finally {
    await served.close(1_000);
  }
});

serve.run();
