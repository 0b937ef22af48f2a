// Types of i18n-check.mjs for its unit test.
export function flatten(obj: object, prefix?: string, out?: Map<string, string>): Map<string, string>;
export function placeholders(text: string): string[];
export function rustKeys(source: string): string[];
export function unionMembers(source: string): string[];
export function checkCatalogues(input: {
  catalogues: Record<string, object>;
  sources: string[];
  rust?: string[];
  errorCodes?: string[] | null;
}): string[];
