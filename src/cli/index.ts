/**
 * The command line: subcommands and their options.
 */
export { main, DEFAULT_CONFIG_FILE, SUBCOMMANDS } from './cli.js';
