// Processes a test's snippet noted down (each writes its pid to a file), and which of them live on.
import { readFileSync } from 'node:fs';

export function noted(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** Noted pids still alive (not a zombie) after the run settled. */
export function alive(pids: number[]): number[] {
  return pids.filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      return !/^\S+ \(.*\) [ZX] /.test(stat);
    } catch {
      return false;
    }
  });
}
