/**
 * A concurrency limit for kernel work: CI machines have two cores, and dozens of
 * namespaces created at once only make every test slower.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(maxRunning: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next(); // the slot passes straight to the next task
  };

  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < maxRunning) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
