import { CircuitOpenError, OperationError, TimeoutError, ValidationError } from '../errors';
import { backoffDelay } from './backoff';
import { CircuitBreaker } from './circuit-breaker';
import { withRetry } from './retry';

describe('withRetry', () => {
  it('retries retryable errors until success and counts attempts', async () => {
    const seen: number[] = [];
    const value = await withRetry(
      (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new TimeoutError(10);
        return 'done';
      },
      { attempts: 5, backoffMs: 1 },
    );
    expect(value).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops at once on a non-retryable error', async () => {
    let calls = 0;
    await expect(withRetry(() => {
      calls++;
      throw new ValidationError('bad');
    }, { attempts: 5, backoffMs: 1 })).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    const retries: number[] = [];
    await expect(
      withRetry(() => {
        calls++;
        throw new OperationError('HTTP_STATUS', `503 #${calls}`, { retryable: true });
      }, { attempts: 3, backoffMs: 1, onRetry: (info) => retries.push(info.attempt) }),
    ).rejects.toThrow('503 #3');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('treats dropped connections as retryable', async () => {
    let calls = 0;
    await withRetry(() => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }, { backoffMs: 1 });
    expect(calls).toBe(2);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter inside [half, full] and respects the ceiling', () => {
    const policy = { attempts: 10, backoffMs: 100, factor: 2, maxBackoffMs: 500 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
    expect(backoffDelay(policy, 6, () => 1)).toBe(500);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, fails fast, half-opens after the cool-down and closes on success', () => {
    let now = 1_000;
    const breaker = new CircuitBreaker('db', { failureThreshold: 3, cooldownMs: 100, now: () => now });
    for (let i = 0; i < 3; i++) {
      breaker.acquire();
      breaker.failure();
    }
    expect(breaker.state).toBe('open');
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    now += 100;
    expect(breaker.state).toBe('half-open');
    breaker.acquire();
    // Only one trial at a time while half-open.
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('a failed trial opens the circuit again', () => {
    let now = 0;
    const breaker = new CircuitBreaker('api', { failureThreshold: 1, cooldownMs: 50, now: () => now });
    breaker.acquire();
    breaker.failure();
    now = 60;
    breaker.acquire();
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 100;
    expect(breaker.state).toBe('open');
  });

  it('a success resets the count of consecutive failures', async () => {
    const breaker = new CircuitBreaker('x', { failureThreshold: 2 });
    await expect(breaker.execute(() => Promise.reject(new Error('1')))).rejects.toThrow('1');
    await breaker.execute(() => 'ok');
    await expect(breaker.execute(() => Promise.reject(new Error('2')))).rejects.toThrow('2');
    expect(breaker.state).toBe('closed');
  });

  it('validates its options', () => {
    expect(() => new CircuitBreaker('x', { failureThreshold: 0 })).toThrow('failureThreshold must be a whole number ≥ 1 (got 0)');
  });
});
