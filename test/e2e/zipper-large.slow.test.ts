/**
 * The zipper's large archives over SQS + moto S3 + Redis (zipper-large-cases.ts): 70,000
 * tiny objects (the ZIP64 entry count) and one entry above 4 GiB (ZIP64 sizes in the local
 * header). A slow file: `npm test` runs it beside the others, SKIP_SLOW=1 leaves it out.
 */
import { largeCases } from './zipper-large-cases.js';

largeCases();
