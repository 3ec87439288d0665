/**
 * The name of the floor every interaction is compared with: one GetItem through the SDK, no handler. Its own
 * module, so the cost model can name it without loading the worker that measures it.
 */
export const BARE_GET_ITEM = 'GetItem alone (SDK, no handler)';
