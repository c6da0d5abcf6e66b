/**
 * What a production bundle.js of a virtual control must and must not contain. React and Fluent v9 are platform
 * libraries: pcf-scripts turns `react` and `@fluentui/react-components` into references to the platform's globals;
 * anything that still brings its own copy (react-dom, a @fluentui/react-* package imported directly, a library that
 * does) shows up as these markers — strings only the libraries' own sources contain.
 */
export interface BundleMarker {
  readonly library: string;
  readonly pattern: RegExp;
}

export const SECOND_COPY_MARKERS: readonly BundleMarker[] = [
  { library: 'React', pattern: /__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED\s*[:=]/ },
  { library: 'React', pattern: /react\.(?:production|development)(?:\.min)?\.js/ },
  { library: 'ReactDOM', pattern: /__reactInternalInstance\$|__reactContainer\$|_reactRootContainer/ },
  { library: 'ReactDOM', pattern: /react-dom\.(?:production|development)/ },
  { library: 'ReactDOM', pattern: /unstable_renderSubtreeIntoContainer/ },
  { library: 'Fluent (griffel runtime)', pattern: /data-make-styles-bucket|makeStyles\(\): this function cannot be called/ },
  { library: 'Fluent (tabster)', pattern: /data-tabster|tabster:/ },
  { library: 'Fluent (components)', pattern: /fui-FluentProvider|fui-Button|fui-Checkbox/ },
];

export function secondCopies(source: string): string[] {
  return [...new Set(SECOND_COPY_MARKERS.filter((m) => m.pattern.test(source)).map((m) => m.library))];
}

/** The platform globals pcf-scripts maps the platform libraries to (pcf-scripts' PlatformLibraryVersions.json). */
export function usesPlatformGlobals(source: string, globals: readonly string[]): string[] {
  return globals.filter((g) => !new RegExp(`\\b${g}\\b`).test(source));
}
