import { createHash, randomBytes } from 'node:crypto';

/** The base64 SHA-1 of some bytes, as FHIR's Attachment.hash. */
export const sha1Base64 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');

/**
 * A real, minimal PDF 1.4 (one A4 page of Helvetica text), written out by hand with a correct cross-reference
 * table: it starts `%PDF-` and ends `%%EOF`, and PDF readers open it. `paddingBytes` adds an unused stream of
 * random bytes, for documents of a chosen size.
 */
export function minimalPdf(text = 'Discharge summary', paddingBytes = 0): Buffer {
  const content = `BT /F1 18 Tf 72 770 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    ),
    stream(Buffer.from(content)),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    ...(paddingBytes > 0 ? [stream(randomBytes(paddingBytes))] : []),
  ];
  // The second line's high bytes tell readers the file is binary, as the PDF specification recommends.
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]?.length ?? 0;
  for (const [i, body] of objects.entries()) {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(object);
    length += object.length;
  }
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
  ].join('\n');
  parts.push(Buffer.from(`${xref}\n`));
  return Buffer.concat(parts);
}

function stream(bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< /Length ${bytes.length} >>\nstream\n`),
    bytes,
    Buffer.from('\nendstream'),
  ]);
}

/** The start of a Windows executable (DOS header `MZ`), padded out: what must never pass as a PDF. */
export function windowsExecutable(size = 4096): Buffer {
  const bytes = randomBytes(size);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], 0);
  return bytes;
}

/** The start of a Linux executable (`\x7fELF`), padded out. */
export function linuxExecutable(size = 4096): Buffer {
  const bytes = randomBytes(size);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00], 0);
  return bytes;
}

/** A minimal HL7 CDA document. */
export const clinicalDocument = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>
<!-- A discharge summary -->
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <title>Discharge summary</title>
</ClinicalDocument>
`;
