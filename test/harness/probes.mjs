/**
 * Free ports and "does this server answer?" checks, spoken in each server's own protocol
 * so a port that merely accepts connections is not mistaken for a working server.
 * Every probe has a short deadline (default 2,000 ms) and resolves to true/false, never throws.
 */
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Only loopback addresses are ever used: the harness never talks to another machine. */
export function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Opens a socket, writes `request`, and resolves with what `accept(buffer)` says about
 * the bytes received so far (true/false when decided, undefined to keep reading).
 */
function exchange({ host, port, request, accept, timeoutMs = 2000 }) {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const socket = net.connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const verdict = accept(received);
      if (verdict !== undefined) finish(verdict);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/** Redis answers an inline PING with +PONG (or an error such as -NOAUTH: still Redis). */
export async function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return exchange({
    host: hostname,
    port: Number(port || 6379),
    request: 'PING\r\n',
    accept: (buf) => {
      const text = buf.toString('latin1');
      if (!text.includes('\r\n')) return undefined;
      return text.startsWith('+PONG') || text.startsWith('-');
    },
  });
}

/**
 * A Kafka broker answers an ApiVersions v0 request (api key 18; Kafka protocol guide,
 * "ApiVersions API") with a response carrying our correlation id.
 */
export async function kafkaBrokerAnswers(broker) {
  const [host, portText] = splitHostPort(broker);
  const clientId = Buffer.from('ap-harness');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // api_key: ApiVersions
  body.writeInt16BE(0, 2); // api_version 0: every broker since 0.10 speaks it
  body.writeInt32BE(4242, 4); // correlation_id, echoed back
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return exchange({
    host,
    port: Number(portText),
    request: Buffer.concat([size, body]),
    accept: (buf) => (buf.length < 8 ? undefined : buf.readInt32BE(4) === 4242),
  });
}

/** Every broker in a KAFKA_BROKERS list answers. */
export async function kafkaAnswers(brokers) {
  const list = brokers.split(',').map((b) => b.trim()).filter(Boolean);
  if (list.length === 0) return false;
  const answers = await Promise.all(list.map(kafkaBrokerAnswers));
  return answers.every(Boolean);
}

/** moto answers GET /moto-api/ (its dashboard) with 200. */
export async function motoAnswers(url, timeoutMs = 2000) {
  try {
    const res = await fetch(new URL('/moto-api/', url), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** "127.0.0.1:9092" → ["127.0.0.1", "9092"]; "[::1]:9092" → ["::1", "9092"]. */
export function splitHostPort(hostPort) {
  const at = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, at).replace(/^\[|\]$/g, ''), hostPort.slice(at + 1)];
}

/** The hosts an environment value names: a URL's host, or each host of a broker list. */
export function hostsOf(kind, value) {
  if (kind === 'kafka') return value.split(',').map((b) => splitHostPort(b.trim())[0]);
  return [new URL(value).hostname];
}
