/// <reference lib="dom" />
/**
 * The platform libraries as the page provides them: React 16.14.0, ReactDOM (the platform's renderer of virtual
 * controls) and Fluent UI v9 (9.46.2), under the globals the controls' production bundles read (pcf-scripts maps
 * `react` and `@fluentui/react-components` to them; the names are injected at build time from pcf-scripts' table).
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as Fluent from '@fluentui/react-components';

declare const __REACT_GLOBAL__: string;
declare const __FLUENT_GLOBAL__: string;

export interface Vendor {
  readonly React: typeof React;
  readonly ReactDOM: typeof ReactDOM;
  readonly Fluent: typeof Fluent;
  readonly globals: { readonly react: string; readonly fluent: string };
}

const w = window as unknown as Record<string, unknown>;
const vendor: Vendor = { React, ReactDOM, Fluent, globals: { react: __REACT_GLOBAL__, fluent: __FLUENT_GLOBAL__ } };
w[__REACT_GLOBAL__] = React;
w[__FLUENT_GLOBAL__] = Fluent;
w['PfbPcfHostVendor'] = vendor;
