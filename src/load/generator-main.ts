// Child entry point: one generator process of `servebench load --generator-processes N`. It loads the engines,
// says it is ready, runs the one engine run it is sent (its shard of a step's load: generator-processes.ts),
// says when its measured window starts, sends back its result (or its error) over IPC and exits. An 'abort'
// message ends the run early (its figures so far are sent, as an interrupted step's are); its parent going
// away ends it at once.

import { toErrorInfo } from '../errors.js';
import { exitWithParent } from '../processes/index.js';
import type { GeneratorJob, GeneratorToParent, ParentToGenerator } from './generator-processes.js';
import { engineFor } from './runner.js';

function send(msg: GeneratorToParent, then: () => void = () => undefined): void {
  if (typeof process.send === 'function' && process.connected) process.send(msg, undefined, undefined, then);
  else then();
}

async function run(job: GeneratorJob, signal: AbortSignal): Promise<void> {
  try {
    const result = await engineFor(job.load).run({ ...job, signal, onWindowStart: () => send({ type: 'window-start', atEpochMs: Date.now() }) });
    send({ type: 'result', result }, () => process.exit(0));
  } catch (err) {
    send({ type: 'failed', error: toErrorInfo(err) }, () => process.exit(1));
  }
}

function main(): void {
  exitWithParent();
  const controller = new AbortController();
  let started = false;
  process.on('message', (raw: unknown) => {
    const msg = raw as ParentToGenerator;
    if (msg.type === 'abort') controller.abort();
    else if (msg.type === 'run' && !started) {
      started = true;
      void run(msg.job, controller.signal);
    }
  });
  send({ type: 'generator-ready' });
}

main();
