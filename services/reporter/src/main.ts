/** The reporter process: wiring only (STYLE "main.ts only wires"); the process around it is runWorkerMain's. */
import { runWorkerMain } from '@artifact-pipeline/shared/worker/worker-main';
import { SERVICE, createReporterService } from './reporter-service.js';

await runWorkerMain(SERVICE, createReporterService);
