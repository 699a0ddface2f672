// The environment variable that carries a queue model worker's settings (its own module: importing the
// entry point would start a worker).

export const QUEUE_WORKER_CONFIG_ENV = 'SERVEBENCH_QUEUE_WORKER_CONFIG';
