import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { binaryDownloadUrl } from '#shared/documents/binary-download';
import { readBinaryPointer } from '#shared/documents/binary-store';
import { ForbiddenError, NotFoundError } from '#shared/fhir/operation-outcome';
import { fhirRequestBody } from '#shared/http/fhir-request-body';
import { fhirResponse } from '#shared/http/fhir-response';
import { requestContext } from '#shared/http/request-context';
import { patientPartition } from '#shared/service/table-design';
import { breakGlassPageMain } from '#shared/viewer/break-glass-page';
import { BreakGlassFormError, breakGlassReason } from '#shared/viewer/break-glass-reasons';
import { assertCsrfToken } from '#shared/viewer/csrf';
import { issueLaunchCode, LAUNCH_CODE_SECONDS, redeemLaunchCode } from '#shared/viewer/launch-code';
import { launchGrant, launchResponse } from '#shared/viewer/launch-request';
import { organisationNames } from '#shared/viewer/organisation-names';
import { patientBanner } from '#shared/viewer/patient-banner';
import { organisationsNamed, recordPageMain } from '#shared/viewer/record-page';
import { acknowledgeTask } from '#shared/viewer/task-acknowledgement';
import { viewerAsset } from '#shared/viewer/viewer-assets';
import { viewerPageHeaders } from '#shared/viewer/viewer-headers';
import { messagePage, viewerPage } from '#shared/viewer/viewer-page';
import { readViewerRecord } from '#shared/viewer/viewer-record';
import {
  formFields,
  sessionContext,
  sessionCookieHeader,
  sessionFor,
  viewerUrls,
} from '#shared/viewer/viewer-request';
import { breakGlassSession, openSession, type ViewerSession } from '#shared/viewer/viewer-session';

export type Page = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const page = (
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: { ...viewerPageHeaders(), ...headers },
  body,
});
const seeOther = (location: string, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode: 303,
  headers: { ...viewerPageHeaders(), Location: location, ...headers },
  body: '',
});
const pageUrl = (event: APIGatewayProxyEvent, session: ViewerSession) =>
  `${viewerUrls(event).viewerBase}/Patient/${session.patient}`;

/** The record page, or the break-glass page when the organisation has no relationship with the patient. */
async function recordOrBreakGlass(event: APIGatewayProxyEvent, session: ViewerSession) {
  const { viewerBase, fhirBase } = viewerUrls(event);
  const ctx = sessionContext(session, fhirBase);
  const url = pageUrl(event, session);
  try {
    const record = await readViewerRecord(ctx, session.patient, 'record');
    const organisations = await organisationNames(organisationsNamed(record));
    return page(
      200,
      viewerPage({
        title: 'Record',
        viewerBase,
        person: session.person,
        emergency: record.breakGlass,
        banner: patientBanner(record.patient, organisations),
        main: recordPageMain(record, {
          pageUrl: url,
          odsCode: session.caller.odsCode,
          organisations,
          csrfToken: session.csrfToken,
        }),
      }),
    );
  } catch (e) {
    // Refused for want of a relationship (audited as refused): offer break-glass, once.
    if (!(e instanceof ForbiddenError) || session.purpose.code === 'ETREAT') throw e;
    const names = await organisationNames([session.caller.odsCode]);
    return page(
      403,
      viewerPage({
        title: 'Emergency access',
        viewerBase,
        person: session.person,
        main: breakGlassPageMain(
          url,
          session.csrfToken,
          names.get(session.caller.odsCode) ?? session.caller.odsCode,
          session.patient,
        ),
      }),
    );
  }
}

/** Each route of the viewer: parse, check the session, call shared/, answer a page or a redirect. */
export const pages: Record<string, Page> = {
  // The supplier system's call (CONTRACT §7): a single-use URL for one person, organisation and patient.
  launch: async (event) => {
    const { viewerBase, fhirBase } = viewerUrls(event);
    const grant = launchGrant(
      requestContext(event, fhirBase),
      event.headers['nhsd-end-user-role']?.trim() || undefined,
      fhirRequestBody(event),
    );
    const code = await issueLaunchCode(grant);
    return fhirResponse(200, launchResponse(`${viewerBase}/start?code=${code}`, LAUNCH_CODE_SECONDS), {
      'Cache-Control': 'no-store',
    });
  },

  // The browser's first request: the code is spent for a session cookie and leaves the address bar at once.
  start: async (event) => {
    const { viewerBase } = viewerUrls(event);
    const grant = await redeemLaunchCode(event.queryStringParameters?.code ?? '');
    if (!grant) {
      return page(
        400,
        messagePage(
          viewerBase,
          'This link has already been used or has expired',
          'Links that open the shared care record work once, within a minute. Open the record again from your system.',
        ),
      );
    }
    const { id, session } = await openSession(grant);
    return seeOther(pageUrl(event, session), { 'Set-Cookie': sessionCookieHeader(id) });
  },

  record: async (event) => {
    const { session } = await sessionFor(event);
    return recordOrBreakGlass(event, session);
  },

  'break-glass': async (event) => {
    const { id, session } = await sessionFor(event);
    const form = formFields(event);
    assertCsrfToken(session, form);
    try {
      await breakGlassSession(id, session, breakGlassReason(form));
    } catch (e) {
      if (!(e instanceof BreakGlassFormError)) throw e;
      const names = await organisationNames([session.caller.odsCode]);
      return page(
        400,
        viewerPage({
          title: 'Error: Emergency access',
          viewerBase: viewerUrls(event).viewerBase,
          person: session.person,
          main: breakGlassPageMain(
            pageUrl(event, session),
            session.csrfToken,
            names.get(session.caller.odsCode) ?? '',
            session.patient,
            {
              error: e,
              form,
            },
          ),
        }),
      );
    }
    return seeOther(pageUrl(event, session));
  },

  'acknowledge-task': async (event) => {
    const { session } = await sessionFor(event);
    const form = formFields(event);
    assertCsrfToken(session, form);
    const ctx = sessionContext(session, viewerUrls(event).fhirBase);
    await acknowledgeTask(session.patient, event.pathParameters?.id ?? '', Number(form.get('version')), ctx);
    return seeOther(`${pageUrl(event, session)}#tasks`);
  },

  // A document opens through the Binary route's own rules and audit; only a document of this patient's record.
  document: async (event) => {
    const { session } = await sessionFor(event);
    const binaryId = event.pathParameters?.id ?? '';
    const pointer = await readBinaryPointer(binaryId);
    if (pointer?.partition !== patientPartition(session.patient)) {
      throw new NotFoundError('This document is not in this patient\u2019s record');
    }
    const location = await binaryDownloadUrl(binaryId, sessionContext(session, viewerUrls(event).fhirBase));
    return { statusCode: 302, headers: { ...viewerPageHeaders(), Location: location }, body: '' };
  },

  // Hashed names never change content, so browsers and proxies keep them for a year.
  asset: async (event) => {
    const asset = viewerAsset(event.pathParameters?.file ?? '');
    if (!asset) throw new NotFoundError('No such asset');
    return {
      statusCode: 200,
      headers: {
        'Content-Type': asset.contentType,
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      },
      body: asset.body,
    };
  },
};
