/**
 * The sizes and lifetimes of CONTRACT §6, in one place.
 *
 * "Inline up to 5 MB" cannot mean 5 MB of document bytes: base64 grows them by 4/3, and Lambda takes at most
 * 6 MB in a synchronous invocation, API Gateway's envelope included. So an inline document is up to 4 MiB of
 * bytes (5.33 MiB of base64), a DocumentReference body up to 5.5 MiB, every other body stays at 5 MiB, and
 * anything larger goes up by presigned URL.
 */
export const MAX_INLINE_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** The request body limit for DocumentReference create and update: an inline document and its metadata. */
export const MAX_DOCUMENT_BODY_BYTES = 5.5 * 1024 * 1024;

/** The largest document taken through a presigned upload. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** How long a presigned PUT may start within (CONTRACT §6: at most 5 minutes). */
export const UPLOAD_URL_SECONDS = 300;

/** How long a presigned GET may start within: the redirect is followed at once, so a minute is plenty. */
export const DOWNLOAD_URL_SECONDS = 60;

/** How long an upload waits to be claimed by a DocumentReference before it is forgotten (and expired by S3). */
export const UPLOAD_CLAIM_SECONDS = 24 * 60 * 60;

/** How many leading bytes the content sniffer looks at. */
export const SNIFF_BYTES = 8 * 1024;
