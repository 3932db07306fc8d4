import { greet } from './greet';

export const names = ['Ada', 'Grace', 'Linus'];

export function greetAll(): string[] {
  return names.map((name) => greet(name));
}
