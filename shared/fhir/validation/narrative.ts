/**
 * The rules for narrative XHTML (`Narrative.div`, invariants txt-1 and txt-2), checked directly: HL7's
 * `htmlChecks()` is not a FHIRPath function any engine outside its validator provides.
 */

/** The elements R4 allows in narrative; anything else (script, form, iframe, style, head...) is refused. */
const allowedElements = new Set(
  (
    'a abbr acronym address b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 ' +
    'h4 h5 h6 hr i img li map area ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr ' +
    'tt ul var bdo kbd'
  ).split(' '),
);

const tagPattern = /<\s*(\/?)\s*([A-Za-z][\w:.-]*)([^>]*?)(\/?)>/g;

/** Problems with a narrative `div`, as sentences; empty when it is acceptable. */
export function narrativeProblems(div: string): string[] {
  const problems: string[] = [];
  const withoutComments = div.replace(/<!--[\s\S]*?-->/g, '');
  const root = /^\s*<div\b([^>]*)>/.exec(withoutComments);
  if (!root) {
    problems.push('The narrative must be a single XHTML <div> element');
  } else if (!/\bxmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(root[1] as string)) {
    problems.push(
      'The narrative <div> must declare the XHTML namespace xmlns="http://www.w3.org/1999/xhtml"',
    );
  }
  const refused = new Set<string>();
  for (const [, , name = '', attributes = ''] of withoutComments.matchAll(tagPattern)) {
    const local = name.toLowerCase().replace(/^.*:/, '');
    if (!allowedElements.has(local)) refused.add(`<${local}>`);
    const handler = /(?:^|\s)(on[a-z]+)\s*=/i.exec(attributes);
    if (handler) refused.add(`the ${handler[1]} attribute`);
  }
  if (refused.size > 0) {
    problems.push(
      `The narrative may contain only basic HTML formatting; found ${[...refused].join(', ')} (txt-1)`,
    );
  }
  const text = withoutComments.replace(tagPattern, ' ').replace(/&nbsp;|&#160;/g, ' ');
  if (!/\S/.test(text) && !/<\s*img\b/i.test(withoutComments)) {
    problems.push('The narrative must have some non-whitespace content (txt-2)');
  }
  return problems;
}
