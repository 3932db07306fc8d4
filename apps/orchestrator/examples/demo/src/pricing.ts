/** Price after a percentage discount, rounded to cents. */
export function discounted(price: number, percent: number): number {
  if (percent < 0 || percent > 100) throw new RangeError(`discount must be between 0 and 100 (got ${percent})`);
  return Math.round(price * (100 - percent)) / 100;
}

/** Sum of line prices, rounded to cents. */
export function total(prices: readonly number[]): number {
  return Math.round(prices.reduce((sum, p) => sum + p * 100, 0)) / 100;
}
