// The app version, from package.json at build time (bundled), so no file is read at run time.
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
