/**
 * The fixed parts of a workbook package (ECMA-376 Part 2, Open Packaging Conventions):
 * content types, relationships, workbook.xml with its sheets and autofilter names, and the
 * core properties. Written after the sheets, when their number is known.
 */
import { escapeXml } from './xlsx-xml.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';

export interface SheetEntry {
  name: string;
  /** The autofilter range, e.g. `A1:J1001`. */
  filter: string;
}

export const sheetPath = (index: number): string => `xl/worksheets/sheet${index + 1}.xml`;

export function contentTypes(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) => `<Override PartName="/${sheetPath(i)}" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/>` +
    `${sheets}</Types>`
  );
}

export function rootRelationships(): string {
  return (
    `${XML}<Relationships xmlns="${PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="${PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
    '</Relationships>'
  );
}

/** Sheets are rId1…rIdN, styles rId(N+1). */
export function workbookRelationships(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('');
  return `${XML}<Relationships xmlns="${PKG_REL}">${sheets}<Relationship Id="rId${sheetCount + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
}

/** workbook.xml; each autofilter also gets the hidden `_xlnm._FilterDatabase` name Excel itself writes (§18.2.5). */
export function workbookXml(sheets: readonly SheetEntry[]): string {
  const list = sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const names = sheets
    .map((s, i) => {
      const [from, to] = s.filter.split(':') as [string, string];
      const absolute = (ref: string): string => ref.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2');
      const quoted = `'${s.name.replace(/'/g, "''")}'`;
      return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(quoted)}!${absolute(from)}:${absolute(to)}</definedName>`;
    })
    .join('');
  return (
    `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${list}</sheets><definedNames>${names}</definedNames></workbook>`
  );
}

export function coreProperties(title: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(title)}</dc:title><dc:creator>Artifact Pipeline</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

export function appProperties(): string {
  return `${XML}<Properties xmlns="${CT}.extended-properties"><Application>Artifact Pipeline</Application></Properties>`;
}
