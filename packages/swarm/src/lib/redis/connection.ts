import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError, SwarmOptionsError } from '../errors';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisConnectOptions {
  /** How long the first connection may take. @default 3000 */
  connectTimeoutMs?: number;
  /**
   * After a connection drops, how long to keep reconnecting before giving up with an error
   * (ioredis alone retries forever, which looks like a hang). @default 15000
   */
  reconnectForMs?: number;
}

/** `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS) as ioredis options. */
export function parseRedisUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SwarmOptionsError(`--redis "${url}" is not a URL (expected redis://host:port)`, [{ path: 'redis', message: 'not a URL' }]);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new SwarmOptionsError(`--redis "${url}" must start with redis:// or rediss://`, [{ path: 'redis', message: `unsupported protocol ${parsed.protocol}` }]);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new SwarmOptionsError(`--redis "${url}": the path must be a database number (got "/${db}")`, [{ path: 'redis', message: 'bad db' }]);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** A retry strategy that gives up once the connection has been down for `reconnectForMs`. */
export function boundedRetry(reconnectForMs: number): (times: number) => number | null {
  let downSince = 0;
  return (times) => {
    if (times === 1) downSince = Date.now();
    if (Date.now() - downSince >= reconnectForMs) return null;
    return Math.min(100 * times, 1000);
  };
}

/**
 * ioredis options for one connection. `blocking`: BullMQ workers and event readers, which need
 * `maxRetriesPerRequest: null`.
 */
export function redisOptions(url: string, options: RedisConnectOptions & { blocking?: boolean } = {}): RedisOptions {
  return {
    ...parseRedisUrl(url),
    connectTimeout: options.connectTimeoutMs ?? 3000,
    retryStrategy: boundedRetry(options.reconnectForMs ?? 15_000),
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableReadyCheck: true,
    // ioredis waits this long for a closed socket to say so; 2 s by default keeps a CLI alive after its work.
    disconnectTimeout: 200,
  };
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused (is redis-server running there?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (typeof code === 'string' && !message.includes(code)) return `${code}: ${message}`;
  return message;
}

/**
 * Connects, or fails within `connectTimeoutMs` with RedisUnavailableError naming the URL and the
 * reason. The client gives up (and emits "end") once a later drop lasts `reconnectForMs`.
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const base = redisOptions(url, options);
  // The first connection gets no retries: a wrong URL or a stopped server is reported at once.
  const client = new IORedis({ ...base, lazyConnect: true, retryStrategy: () => null });
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${options.connectTimeoutMs ?? 3000} ms`)), (options.connectTimeoutMs ?? 3000) + 500);
      }),
    ]);
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new RedisUnavailableError(displayUrl(url), reasonOf(lastError ?? error));
  } finally {
    clearTimeout(timer);
  }
  // From now on, reconnect after drops, for a bounded time.
  client.options.retryStrategy = base.retryStrategy;
  return client;
}
