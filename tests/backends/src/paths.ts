/**
 * Where the backend tests find their data: `../shared` beside the
 * repository (conformance cases, fixtures, trained models; never copied
 * in) and the repository's own packages.
 */
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository. */
export const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));

/** The repository root. */
export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
