// Types for scripts/start.mjs (imported by scripts/start.test.ts).
export function electronLaunchProblem(input: {
  platform: string;
  env: Record<string, string | undefined>;
  binaryExists: boolean;
}): string | null;
export function electronBinaryPath(root: string, env: Record<string, string | undefined>): string | null;
export function electronVersion(root: string): string;
export function splitArgs(argv: readonly string[], baseDir: string): { project: string | undefined; rest: string[] };
export function headlessProjectDir(
  project: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string;
export function headlessNotice(reason: string): string;
export function exitCodeFor(code: number | null | undefined, signal: string | null | undefined): number;
export function runChild(
  cmd: string,
  args: readonly string[],
  opts?: { env?: Record<string, string | undefined>; cwd?: string },
): Promise<number>;
export function main(argv?: readonly string[], env?: Record<string, string | undefined>): Promise<number>;
