#!/usr/bin/env node
// `paige` command: runs the bundled CLI (build it with `npm run build`).
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('paige: not built yet. Run `npm run build` in the Paige folder first.\n');
  process.exit(2);
}
require(cli);
