/** The `Prefer` request header (OData 4.0 preferences Dataverse honours). */
export interface Preferences {
  returnRepresentation: boolean;
  /** Annotation patterns from `odata.include-annotations` ("*" or a list, e.g. OData.Community.Display.V1.FormattedValue). */
  includeAnnotations: string[];
  maxPageSize?: number;
  continueOnError: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { returnRepresentation: false, includeAnnotations: [], continueOnError: false };
  if (!header) return prefs;
  for (const part of header.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const [rawName, ...rest] = part.split('=');
    const name = (rawName ?? '').trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"|"$/g, '');
    if (name === 'return' && value === 'representation') prefs.returnRepresentation = true;
    else if (name === 'odata.include-annotations') prefs.includeAnnotations = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
    } else if (name === 'odata.continue-on-error') prefs.continueOnError = true;
  }
  return prefs;
}

/** Whether an annotation term (e.g. OData.Community.Display.V1.FormattedValue) was asked for. */
export function wantsAnnotation(prefs: Preferences, term: string): boolean {
  return prefs.includeAnnotations.some((p) => p === '*' || p === term || (p.endsWith('.*') && term.startsWith(p.slice(0, -1))));
}
