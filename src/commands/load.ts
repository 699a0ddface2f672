// `servebench load`: placeholder until its suite lands.

import type { Command } from 'commander';
import { ServebenchError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('load')
    .description('(not implemented yet)')
    .action(() => {
      throw new ServebenchError('SB_ERR_INTERNAL', 'load is not implemented yet');
    });
}
