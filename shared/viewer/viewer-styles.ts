/**
 * The viewer's own styles, beside the NHS design system's: the sticky patient banner, the emergency-access
 * marker and the record's entries. Served as a hashed asset like nhsuk-frontend's CSS, since the CSP allows no
 * inline style.
 */
export const viewerStyles = `
.scr-sticky{position:sticky;top:0;z-index:10}
.scr-banner{background:#fff;border-bottom:4px solid #005eb8;box-shadow:0 2px 4px rgba(33,43,50,.15);padding:8px 0}
.scr-banner__name{font-size:1.25rem;font-weight:700;margin:0 0 4px}
.scr-banner dl{display:flex;flex-wrap:wrap;gap:2px 24px;margin:0}
.scr-banner dl div{display:flex;gap:6px}
.scr-banner dt{color:#4c6272}
.scr-banner dd{margin:0;font-weight:600}
.scr-emergency{background:#d5281b;color:#fff;padding:8px 0;font-weight:700}
.scr-emergency p{margin:0}
.scr-entries{list-style:none;margin:0 0 24px;padding:0}
.scr-entry{border-bottom:1px solid #d8dde0;padding:12px 0}
.scr-entry:first-child{border-top:1px solid #d8dde0}
.scr-entry__title{font-weight:700;margin:0 8px 4px 0;display:inline}
.scr-entry p{margin:4px 0 0}
.scr-meta{color:#4c6272;font-size:1rem}
.scr-tag{margin:0 4px 4px 0;vertical-align:text-bottom}
.scr-task{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:8px}
.scr-task form{margin:0}
.scr-task .nhsuk-button{margin:0}
.scr-contents{columns:2 14rem;margin-bottom:24px}
.scr-section{scroll-margin-top:150px}
.scr-person{color:#fff;margin-left:auto;font-size:1rem}
@media (max-width:640px){.scr-banner dl{gap:0 16px}.scr-banner__name{font-size:1.125rem}.scr-section{scroll-margin-top:200px}}
`;
