interface Failure {
  index: number;
  error: unknown;
}

/**
 * Runs `task(0) … task(count - 1)` with at most `limit` in flight, started in index order.
 * After a failure no new task starts; the ones in flight are awaited (so nothing is still writing
 * when the caller cleans up) and the failure with the lowest index is thrown, which makes the
 * reported error the same from run to run.
 */
export async function runBounded(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: Failure[] = [];
  const lane = async (): Promise<void> => {
    while (failures.length === 0 && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, count); i++) lanes.push(lane());
  await Promise.all(lanes);
  if (failures.length > 0) throw failures.reduce((first, failure) => (failure.index < first.index ? failure : first)).error;
}
