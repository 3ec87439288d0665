/**
 * Every Lambda function of the service, declared once: the CDK stack builds one NodejsFunction from each,
 * and the sandbox imports the same handler files. Routes (routes.ts) and event rules (events.ts) name these.
 */
export interface FunctionDefinition {
  /** Source of the handler, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** What the function may touch; the stack grants exactly these. */
  grants: {
    table?: 'read' | 'readWrite';
    tokenSigningKey?: 'sign' | 'verify';
    bucket?: 'read' | 'readWrite';
    bus?: 'put';
    /** The Powertools idempotency table (`IDEMPOTENCY_TABLE_NAME`), for retried POSTs. */
    idempotency?: 'readWrite';
    /** The search paging cursors' HMAC key in Secrets Manager (`CURSOR_SECRET_ARN`). */
    cursorSecret?: 'read';
    /** Start an execution of the bulk export workflow (workflows.ts; ARN in `EXPORT_STATE_MACHINE_ARN`). */
    exportWorkflow?: 'start';
    /** The export pseudonyms' HMAC key in Secrets Manager (`PSEUDONYM_KEY_ARN`). */
    pseudonymKey?: 'read';
  };
  /** Files (relative to the repository root) copied beside the bundle, into its `assets/` folder. */
  bundledFiles?: readonly string[];
}

export const functions = {
  oauth: {
    entry: 'functions/oauth/handler.ts',
    description: 'OAuth 2.0 token endpoint (private-key JWT client credentials) and the service JWKS',
    memoryMb: 256,
    timeoutSeconds: 10,
    grants: { table: 'readWrite', tokenSigningKey: 'sign' },
  },
  authorizer: {
    entry: 'functions/authorizer/handler.ts',
    description: 'API Gateway token authorizer: verifies the service access token',
    memoryMb: 256,
    timeoutSeconds: 5,
    // The table: the supplier registry, to refuse a removed client's live tokens.
    grants: { tokenSigningKey: 'verify', table: 'read' },
  },
  fhir: {
    entry: 'functions/fhir/handler.ts',
    description: 'FHIR R4 API: capability statement, contribute, read and search the shared record',
    memoryMb: 256,
    timeoutSeconds: 29,
    // The bucket: writing a DocumentReference stores its inline document or claims its upload.
    grants: { table: 'readWrite', idempotency: 'readWrite', cursorSecret: 'read', bucket: 'readWrite' },
  },
  documents: {
    entry: 'functions/documents/handler.ts',
    description:
      'Stored documents: presigned uploads (Binary/$upload-url) and downloads of a Binary under its DocumentReference',
    memoryMb: 256,
    timeoutSeconds: 29,
    grants: { table: 'readWrite', bucket: 'readWrite' },
  },
  viewer: {
    entry: 'functions/viewer/handler.ts',
    description:
      'Point-of-care viewer: launch codes, browser sessions and the joined-up record as NHS-styled HTML pages',
    memoryMb: 512,
    timeoutSeconds: 29,
    // readWrite: launch codes and sessions live in the table, pages are audited, Tasks are acknowledged.
    grants: { table: 'readWrite', bucket: 'read' },
    bundledFiles: ['node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css'],
  },
  'outbox-publisher': {
    entry: 'functions/outbox-publisher/handler.ts',
    description: 'Publishes the events of new journal entries from the table stream to the event bus',
    memoryMb: 256,
    timeoutSeconds: 60,
    grants: { bus: 'put' },
  },
  subscriptions: {
    entry: 'functions/subscriptions/handler.ts',
    description:
      'FHIR Subscription API (R4 backport topic-based subscriptions): create, read, delete, $status',
    memoryMb: 256,
    timeoutSeconds: 29,
    grants: { table: 'readWrite', idempotency: 'readWrite' },
  },
  'subscription-matcher': {
    entry: 'functions/subscription-matcher/handler.ts',
    description:
      'Matches each record event to the subscriptions it concerns and queues one delivery for each',
    memoryMb: 256,
    timeoutSeconds: 30,
    grants: { table: 'read' },
  },
  'notification-delivery': {
    entry: 'functions/notification-delivery/handler.ts',
    description:
      'Delivers queued notifications to rest-hook endpoints, signed, each event once per subscription',
    memoryMb: 256,
    timeoutSeconds: 30,
    grants: { table: 'readWrite' },
  },
  'safeguarding-notifier': {
    entry: 'functions/safeguarding-notifier/handler.ts',
    description:
      'Gives each organisation related to the patient a Task when a safeguarding concern is raised',
    memoryMb: 256,
    timeoutSeconds: 30,
    grants: { table: 'readWrite' },
  },
  'admission-notifier': {
    entry: 'functions/admission-notifier/handler.ts',
    description: 'Gives the registered practice and related social care a Task on an admission or discharge',
    memoryMb: 256,
    timeoutSeconds: 30,
    grants: { table: 'readWrite' },
  },
  'referral-notifier': {
    entry: 'functions/referral-notifier/handler.ts',
    description: 'Gives the organisation a referral is sent to a Task when the referral arrives',
    memoryMb: 256,
    timeoutSeconds: 30,
    grants: { table: 'readWrite' },
  },
  'organisation-register': {
    entry: 'functions/organisation-register/handler.ts',
    description:
      "CloudFormation custom resource: applies the ICB's registry (Organizations and supplier systems)",
    memoryMb: 256,
    timeoutSeconds: 120,
    grants: { table: 'readWrite' },
  },
  'bulk-export': {
    entry: 'functions/bulk-export/handler.ts',
    description:
      'FHIR Bulk Data export (CONTRACT §8): kick-off, status polling with presigned file URLs, and cancel',
    memoryMb: 256,
    timeoutSeconds: 29,
    // The bucket: presigning the files' GETs needs read, and a cancel deletes them.
    grants: { table: 'readWrite', bucket: 'readWrite', exportWorkflow: 'start' },
  },
  'export-worker': {
    entry: 'functions/export-worker/handler.ts',
    description:
      "The bulk export workflow's steps: plan, scan one table segment into NDJSON files, finish (manifest and audit), fail",
    memoryMb: 1024,
    timeoutSeconds: 300,
    grants: { table: 'readWrite', bucket: 'readWrite', pseudonymKey: 'read' },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;
