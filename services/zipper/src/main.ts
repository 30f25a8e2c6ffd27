/** The zipper process: wiring only (STYLE "main.ts only wires"); the process around it is runWorkerMain's. */
import { runWorkerMain } from '@artifact-pipeline/shared/worker/worker-main';
import { SERVICE, createZipperService } from './zipper-service.js';

await runWorkerMain(SERVICE, createZipperService);
