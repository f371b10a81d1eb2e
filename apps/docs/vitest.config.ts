import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
import { sourceAliases } from './src/site/vite-config.js';

export default mergeConfig(shared, { resolve: { alias: sourceAliases() } });
