/**
 * Secrets never reach a log line or telemetry: the configured secret values are masked wherever they appear, and so
 * are the usual carriers of secrets in text (a `code=` query parameter, a storage AccountKey or SAS signature, a
 * bearer token, a PEM block).
 */
const PATTERNS: readonly [RegExp, string][] = [
  [/([?&](?:code|sig|key|token|client_secret)=)[^&\s"']+/gi, '$1***'],
  [/((?:AccountKey|SharedAccessSignature|InstrumentationKey)=)[^;\s"']+/gi, '$1***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1***'],
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[redacted PEM]'],
];

export type Redactor = (text: string) => string;

/** A redactor that masks these secret values (ignoring short ones, which would mask ordinary words) and the patterns. */
export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join('***');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}
