import type { RedisOptions as ConnectionSettings } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/** A checked `--queue` URL: what ioredis connects with, and how every message may name it. */
export interface QueueUrl {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL with any password replaced by `***`: the only form ever printed. */
  redacted: string;
}

/** Replaces the password (or a lone user part, which may be a token) of every redis:// or rediss:// URL in `text` with `***`. */
export function redactSecrets(text: string): string {
  return text.replace(/(rediss?:\/\/)([^@\s/]*)@/gi, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon === -1 ? '***' : `${auth.slice(0, colon + 1)}***`}@`;
  });
}

/**
 * The environment variable read for the Redis password when `--queue` has none, so that the
 * password need not be on the command line, where `ps` shows it to every user of the machine.
 */
export const REDIS_PASSWORD_ENV = 'SCRATCHNET_REDIS_PASSWORD';

/**
 * Parses `redis://[user][:password]@host:port/db` (port 6379 and db 0 when absent); without a
 * password in the URL, SCRATCHNET_REDIS_PASSWORD is used when set. Anything else is a
 * BAD_QUEUE_URL naming the problem, with the password already redacted.
 */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueUrl {
  const redacted = redactSecrets(text);
  const bad = (why: string) => new CliError(CliErrorCode.BAD_QUEUE_URL, `--queue '${redacted}': ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`the scheme must be redis:// or rediss://, not ${url.protocol}//`);
  if (!url.hostname) throw bad('no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('the port must be 1…65535');
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw bad(`the database must be a number like /0, not /${path}`);
  if (url.search || url.hash) throw bad('no ?query or #fragment is understood');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db: path === '' ? 0 : Number(path),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : env[REDIS_PASSWORD_ENV] || undefined,
    tls: url.protocol === 'rediss:',
    // A lone user part may be a token (redis://secret@host), so it is hidden like a password.
    redacted: `${url.protocol}//${url.password ? `${url.username}:***@` : url.username ? '***@' : ''}${url.host}/${path === '' ? 0 : Number(path)}`,
  };
}

/**
 * Options for a long-lived connection (ioredis's, in the shape BullMQ also takes): retried for
 * ever, so a Redis restart is survived.
 */
export function redisOptions(queue: QueueUrl): RedisOptions & ConnectionSettings {
  return {
    host: queue.host,
    port: queue.port,
    db: queue.db,
    username: queue.username,
    password: queue.password,
    ...(queue.tls ? { tls: {} } : {}),
    // BullMQ's workers block on Redis; they need commands to wait out a reconnect, not fail.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  };
}

/**
 * Connects once, without retrying, and pings: the clear QUEUE_UNREACHABLE error up front instead
 * of BullMQ reconnecting silently for ever. Returns the server's version.
 */
export async function checkQueueReachable(queue: QueueUrl, timeoutMs = 5000): Promise<string> {
  // Loaded here, not at start-up: only queue commands pay for it.
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...redisOptions(queue), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs });
  // The socket's own error (ECONNREFUSED, ENOTFOUND …) says more than the "Connection is closed" that follows it.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => (socketError ??= error));
  try {
    await client.connect();
    const info = await client.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch (cause) {
    const why = redactSecrets((socketError ?? (cause as Error)).message || String(cause));
    if (/NOAUTH|WRONGPASS|invalid password|without any password/i.test(why)) {
      const given = queue.password === undefined ? 'no password was given' : 'the password was refused';
      throw new CliError(CliErrorCode.QUEUE_UNREACHABLE, `Redis at ${queue.redacted} wants a password and ${given} (${why}); set ${REDIS_PASSWORD_ENV}, or give it in --queue as redis://:<password>@host:port/db`);
    }
    throw new CliError(CliErrorCode.QUEUE_UNREACHABLE, `cannot reach Redis at ${queue.redacted}: ${why}`);
  } finally {
    client.disconnect();
  }
}
