// `servebench profile`: placeholder until its suite lands.

import type { Command } from 'commander';
import { ServebenchError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('profile')
    .description('(not implemented yet)')
    .action(() => {
      throw new ServebenchError('SB_ERR_INTERNAL', 'profile is not implemented yet');
    });
}
