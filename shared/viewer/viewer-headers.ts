/**
 * The origins whose pages may frame the viewer (the ICB's supplier systems embed it in their EPRs), from the
 * deployment's config as `VIEWER_FRAME_ANCESTORS` (space-separated); none when unset.
 */
export function frameAncestors(): string {
  const origins = (process.env.VIEWER_FRAME_ANCESTORS ?? '').split(/\s+/).filter(Boolean);
  return origins.length ? origins.join(' ') : "'none'";
}

/**
 * The headers of every viewer page: a strict Content-Security-Policy (no script at all, styles and images from
 * the viewer itself, the NHS font from the NHS's asset host, forms posting only back to the viewer), framing by
 * the configured EPR origins only, nothing cached, no Referer leaving the page (its URL names the patient).
 */
export function viewerPageHeaders(): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self'",
      'font-src https://assets.nhs.uk',
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${frameAncestors()}`,
    ].join('; '),
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
