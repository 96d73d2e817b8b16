/** Replaced at build time with the package version (see vite.cli.config.ts and vitest.config.ts). */
declare const __STUDIO_VERSION__: string;
