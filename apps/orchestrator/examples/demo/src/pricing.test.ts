import { discounted } from './pricing';

describe('discounted', () => {
  it('takes the percentage off and rounds to cents', () => {
    expect(discounted(19.99, 10)).toBe(17.99);
  });

  it('refuses a discount over 100%', () => {
    expect(() => discounted(10, 120)).toThrow(RangeError);
  });
});
