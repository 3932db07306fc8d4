// An ES module: the worker cannot require() it and falls back to import().
export default function triple(n) {
  return n * 3;
}

export async function later(n) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return { n, loadedAs: typeof require === 'undefined' ? 'esm' : 'cjs' };
}
