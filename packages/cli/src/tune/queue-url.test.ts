import { describe, expect, it } from 'vitest';
import { parseQueueUrl, redactSecrets } from './queue-url.js';

describe('parseQueueUrl', () => {
  it('reads host, port, database and credentials; defaults port 6379 and db 0', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/3')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 3, tls: false, redacted: 'redis://10.0.0.5:6380/3' });
    expect(parseQueueUrl('redis://cache.local')).toMatchObject({ host: 'cache.local', port: 6379, db: 0, redacted: 'redis://cache.local/0' });
    const secret = parseQueueUrl('rediss://ops:p%40ss@h:1/2');
    expect(secret).toMatchObject({ username: 'ops', password: 'p@ss', tls: true, redacted: 'rediss://ops:***@h:1/2' });
    expect(parseQueueUrl('redis://:only-pw@h:1/0').redacted).toBe('redis://:***@h:1/0');
    expect(parseQueueUrl('redis://token@h:1/0').redacted).toBe('redis://***@h:1/0');
  });

  it('refuses what is not a Redis URL, naming the problem, with the password redacted', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://h:1/0', /scheme must be redis:\/\/ or rediss:\/\//],
      ['redis://h:0/0', /port must be 1…65535/],
      ['redis://h:1/x', /database must be a number like \/0, not \/x/],
      ['redis://h:1/0?tls=1', /no \?query/],
      ['h:1', /scheme must be/],
      ['', /not a URL/],
      ['redis://u:topsecret@h:1/db', /u:\*\*\*@h:1\/db/],
    ];
    for (const [url, why] of cases) {
      let message = '';
      try {
        parseQueueUrl(url);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('BAD_QUEUE_URL');
        message = (error as Error).message;
      }
      expect(message, url).toMatch(why);
      expect(message).not.toContain('topsecret');
    }
  });
});

describe('redactSecrets', () => {
  it('hides the password of every Redis URL in a text, and nothing else', () => {
    expect(redactSecrets('a redis://u:pw@h:1/0 b rediss://:x@y/2 c redis://h/0')).toBe('a redis://u:***@h:1/0 b rediss://:***@y/2 c redis://h/0');
    expect(redactSecrets('no urls here')).toBe('no urls here');
    expect(redactSecrets('redis://token@h/0')).toBe('redis://***@h/0');
  });
});
