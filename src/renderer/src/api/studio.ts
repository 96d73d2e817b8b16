import { createStudioClient } from './client';

/** The single client instance of this window. */
export const studio = createStudioClient();
