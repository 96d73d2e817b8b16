// The ELK layout engine, run in its own worker: importing it in a worker scope makes this worker
// answer the messages of elkjs' `elk-api` client.
import 'elkjs/lib/elk-worker.js';
