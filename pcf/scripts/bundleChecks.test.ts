/**
 * @jest-environment node
 */
import path from 'node:path';
import { build } from 'esbuild';
import { secondCopies, usesPlatformGlobals } from './bundleChecks';
import { platformGlobals } from './platformLibraries';

/** What a control's bundle looks like when it brings its own copy of a library (a production build of an import). */
async function bundled(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: path.resolve(__dirname, '..'), loader: 'tsx' },
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

describe('bundle checks', () => {
  it('recognise a bundled React, ReactDOM and Fluent', async () => {
    expect(secondCopies(await bundled("import * as React from 'react'; console.log(React.createElement('b'));"))).toEqual(['React']);
    expect(secondCopies(await bundled("import { render } from 'react-dom'; console.log(render);"))).toEqual(expect.arrayContaining(['React', 'ReactDOM']));
    const fluent = secondCopies(await bundled("import { FluentProvider, Button } from '@fluentui/react-components'; console.log(FluentProvider, Button);"));
    expect(fluent).toEqual(expect.arrayContaining(['Fluent (griffel runtime)', 'Fluent (components)']));
  }, 30_000);

  it('pass a control that uses the platform globals only', () => {
    const control = 'var e=Reactv16,t=FluentUIReactv940;function n(){return e.createElement(t.Button,null,"Ready to Sync")}';
    expect(secondCopies(control)).toEqual([]);
    expect(usesPlatformGlobals(control, ['Reactv16', 'FluentUIReactv940'])).toEqual([]);
    expect(usesPlatformGlobals('var e=window.React', ['Reactv16'])).toEqual(['Reactv16']);
  });

  it('read the platform globals from pcf-scripts for the declared versions', () => {
    expect(platformGlobals()).toEqual({ react: 'Reactv16', fluent: 'FluentUIReactv940' });
  });
});
