import { defineConfig } from 'vite';
import { docsViteConfig } from './src/site/vite-config.js';

export default defineConfig(docsViteConfig());
