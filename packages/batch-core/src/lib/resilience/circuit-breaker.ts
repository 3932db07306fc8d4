import { CircuitOpenError, ValidationError } from '../errors';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** Time the circuit stays open before one trial request is let through. @default 30000 */
  cooldownMs?: number;
  /** Clock, replaceable for tests. @default Date.now */
  now?: () => number;
}

/**
 * Stops calling a target that keeps failing. Closed: calls pass, consecutive failures are counted.
 * Open: calls fail fast with CircuitOpenError until the cool-down ends. Half-open: one trial call
 * passes; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  readonly target: string;
  #failureThreshold: number;
  #cooldownMs: number;
  #now: () => number;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(target: string, options: CircuitBreakerOptions = {}) {
    const failureThreshold = options.failureThreshold ?? 5;
    const cooldownMs = options.cooldownMs ?? 30_000;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new ValidationError(`failureThreshold must be a whole number ≥ 1 (got ${failureThreshold})`, [{ path: 'failureThreshold', message: 'must be ≥ 1' }]);
    }
    if (!Number.isFinite(cooldownMs) || cooldownMs < 0) {
      throw new ValidationError(`cooldownMs must be a number ≥ 0 (got ${cooldownMs})`, [{ path: 'cooldownMs', message: 'must be ≥ 0' }]);
    }
    this.target = target;
    this.#failureThreshold = failureThreshold;
    this.#cooldownMs = cooldownMs;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) return 'half-open';
    return this.#state;
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /** Throws CircuitOpenError when a call may not go through now; otherwise admits it. */
  acquire(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.#trialInFlight) {
      this.#state = 'half-open';
      this.#trialInFlight = true;
      return;
    }
    throw new CircuitOpenError(this.target, this.#cooldownMs - (this.#now() - this.#openedAt));
  }

  success(): void {
    this.#consecutiveFailures = 0;
    this.#trialInFlight = false;
    this.#state = 'closed';
  }

  failure(): void {
    this.#consecutiveFailures += 1;
    const trialFailed = this.#state === 'half-open';
    this.#trialInFlight = false;
    if (trialFailed || this.#consecutiveFailures >= this.#failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
  }

  async execute<T>(fn: () => Promise<T> | T): Promise<T> {
    this.acquire();
    try {
      const value = await fn();
      this.success();
      return value;
    } catch (error) {
      this.failure();
      throw error;
    }
  }
}

/** One breaker per target key, created on first use with shared options. */
export class CircuitBreakerRegistry {
  #breakers = new Map<string, CircuitBreaker>();
  #options: CircuitBreakerOptions;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#options = options;
  }

  get(target: string): CircuitBreaker {
    let breaker = this.#breakers.get(target);
    if (!breaker) {
      breaker = new CircuitBreaker(target, this.#options);
      this.#breakers.set(target, breaker);
    }
    return breaker;
  }

  states(): Record<string, CircuitState> {
    const out: Record<string, CircuitState> = {};
    for (const [target, breaker] of this.#breakers) out[target] = breaker.state;
    return out;
  }
}
