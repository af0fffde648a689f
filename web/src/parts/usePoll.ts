// Runs `load` now and every `ms` while the page is shown; a failed load keeps the last value.
import { useEffect, useRef, useState } from 'preact/hooks';

export function usePoll<T>(load: () => Promise<T>, ms: number, deps: unknown[] = []): { value: T | undefined; error: unknown; reload: () => void } {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    const run = async () => {
      try {
        const next = await loadRef.current();
        if (alive) {
          setValue(next);
          setError(undefined);
        }
      } catch (err) {
        if (alive) setError(err);
      }
    };
    void run();
    const timer =
      ms > 0
        ? setInterval(() => {
            if (!document.hidden) void run();
          }, ms)
        : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}
