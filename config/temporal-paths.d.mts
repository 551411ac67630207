// Types of config/temporal-paths.mjs (kept as plain JS so it runs right after `npm ci`).

export declare const TEMPORAL_CLI_VERSION: string;
export declare const TEST_SERVER_VERSION: string;
export declare const MANIFEST_VERSION: number;

/** How the Temporal CLI was obtained; 'sdk-download' means none here: the SDK downloads one (needs internet). */
export type TemporalCliSource = 'env' | 'path' | 'cache' | 'go-install' | 'sdk-download';

/** Content of `<cache>/manifest.json`. */
export interface TemporalManifest {
  manifestVersion: number;
  /** Absolute path of the Temporal CLI (dev server), or null. */
  temporalCli: string | null;
  temporalCliSource: TemporalCliSource;
  temporalCliVersion: string | null;
  /** Absolute path of the wrapper that runs the time-skipping test server as `<wrapper> <port>`, or null. */
  testServer: string | null;
  testServerVersion: string | null;
  /** Whether the wrapper uses an AppCDS archive generated at setup time. */
  testServerCds: boolean;
  java: { path: string; version: string } | null;
  updatedAt: string;
}

export interface TemporalBinaries {
  temporalCli: string | null;
  temporalCliSource: TemporalCliSource;
  testServer: string | null;
  cacheDir: string;
  manifest: TemporalManifest | null;
}

export declare function temporalCacheDir(env?: NodeJS.ProcessEnv): string;
export declare function manifestPath(cacheDir?: string): string;
export declare function readManifest(cacheDir?: string): TemporalManifest | null;
export declare function isExecutable(path: string | null | undefined): boolean;
export declare function findOnPath(name: string, env?: NodeJS.ProcessEnv): string | null;
export declare function resolveTemporalBinaries(options?: { cacheDir?: string; env?: NodeJS.ProcessEnv }): TemporalBinaries;
