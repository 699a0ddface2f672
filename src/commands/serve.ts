// `servebench serve`: placeholder until its suite lands.

import type { Command } from 'commander';
import { ServebenchError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('(not implemented yet)')
    .action(() => {
      throw new ServebenchError('SB_ERR_INTERNAL', 'serve is not implemented yet');
    });
}
