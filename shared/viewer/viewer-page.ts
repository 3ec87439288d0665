import { type Html, html } from './html.ts';
import { viewerAssets } from './viewer-assets.ts';
import type { PointOfCarePerson } from './viewer-grant.ts';

const NHS_LOGO = html`<svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/></svg>`;

/** What every viewer page is made of. */
export interface PageParts {
  title: string;
  /** The viewer's base URL (`https://…/v1/viewer`), for asset links. */
  viewerBase: string;
  person?: PointOfCarePerson;
  /** The patient banner, kept in view as the page scrolls. */
  banner?: Html;
  /** Shows the emergency-access marker on every page of a break-glass session. */
  emergency?: boolean;
  main: Html;
}

/**
 * A whole viewer page: the NHS header, then the emergency marker and the patient banner (both kept in view as the
 * page scrolls), then the content. No script.
 */
export function viewerPage(parts: PageParts): string {
  const { nhsuk, viewer } = viewerAssets();
  return `<!doctype html>${html`<html lang="en-GB" class="nhsuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${parts.title} – Shared care record</title>
<link rel="stylesheet" href="${parts.viewerBase}/assets/${nhsuk.name}">
<link rel="stylesheet" href="${parts.viewerBase}/assets/${viewer.name}">
</head>
<body class="nhsuk-template__body">
<a class="nhsuk-skip-link" href="#main-content">Skip to main content</a>
<header class="nhsuk-header" role="banner">
<div class="nhsuk-header__container nhsuk-width-container">
<div class="nhsuk-header__service">
<span class="nhsuk-header__service-logo">${NHS_LOGO}</span>
<span class="nhsuk-header__service-name">Shared care record</span>
</div>
${parts.person ? html`<p class="scr-person">${parts.person.name}</p>` : ''}
</div>
</header>
<div class="scr-sticky">
${
  parts.emergency
    ? html`<div class="scr-emergency" role="status"><div class="nhsuk-width-container"><p>Emergency access: you opened this record without a care relationship. This access is recorded and reported.</p></div></div>`
    : ''
}
${parts.banner ?? ''}
</div>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="main-content" role="main">
${parts.main}
</main>
</div>
</body>
</html>
`}`;
}

/** A page that only tells the person something (a refused or expired link, a timed-out session). */
export function messagePage(
  viewerBase: string,
  title: string,
  text: string,
  person?: PointOfCarePerson,
): string {
  return viewerPage({
    title,
    viewerBase,
    person,
    main: html`<h1>${title}</h1><p>${text}</p>`,
  });
}
