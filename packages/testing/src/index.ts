export type { Browser, Page } from 'playwright-core';
export { workspaceAliases, workspaceSources } from './aliases.js';
export { bundleForBrowser, workspaceSourceAliases } from './bundle.js';
export { CHROMIUM, launchChromium } from './chromium.js';
export { type ReadmeOptions, type ReadmeRun, runReadmeExample } from './readme.js';
export { type StaticServer, serveDir } from './static-server.js';
