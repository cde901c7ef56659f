// Types for electron-builder.config.mjs (imported by scripts/packaging.test.ts).
export declare const FUSES: Readonly<Record<string, boolean>>;
declare const config: {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Readonly<Record<string, boolean>>;
  icon: string;
  linux: { target: string[]; category: string; executableName: string; maintainer: string };
  mac: { target: string[]; category: string };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean };
};
export default config;
