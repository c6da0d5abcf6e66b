/**
 * The web resource map the solution packer `require`s (solution/src/inputs/buildOutputs.ts reads WEB_RESOURCES as an
 * array of { name, file, displayName?, description? }, files relative to webresources/dist/), and the build that
 * produces those files and fails on an error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildFailed, bundleWebResources } from '../scripts/bundle';

const MAP_MODULE = path.resolve(__dirname, '../src/webResources.ts');

describe('WEB_RESOURCES', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(MAP_MODULE) as { WEB_RESOURCES: { name: string; file: string; displayName: string; description: string; dependencies?: string[] }[]; SCRIPT_ENTRIES: Record<string, string> };

  it('is plain data the packer can require: names with the publisher prefix and a web resource type, files relative to dist', () => {
    expect(mod.WEB_RESOURCES.map((w) => w.name)).toEqual(['pfb_/scripts/commands.js', 'pfb_/scripts/forms.js', 'pfb_/strings/ribbon.1033.resx']);
    for (const w of mod.WEB_RESOURCES) {
      expect(w.name).toMatch(/^pfb_\/.+\.(js|resx)$/);
      expect(path.isAbsolute(w.file)).toBe(false);
      expect(w.displayName.length).toBeGreaterThan(0);
      expect(w.description.length).toBeGreaterThan(0);
      for (const d of w.dependencies ?? []) expect(mod.WEB_RESOURCES.map((x) => x.name)).toContain(d);
    }
    expect(Object.keys(mod.SCRIPT_ENTRIES)).toEqual(mod.WEB_RESOURCES.filter((w) => w.name.endsWith('.js')).map((w) => w.name));
  });

  it('the build writes every mapped file into dist, one minified bundle per script', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-wr-'));
    try {
      const built = await bundleWebResources({ distDir: path.join(out, 'dist'), mapsDir: path.join(out, 'maps') });
      expect(built.map((b) => b.name)).toEqual(mod.WEB_RESOURCES.map((w) => w.name));
      for (const w of mod.WEB_RESOURCES) expect(fs.existsSync(path.join(out, 'dist', w.file))).toBe(true);
      const commands = fs.readFileSync(path.join(out, 'dist', 'pfb_/scripts/commands.js'), 'utf8');
      // Minified: our comments and local names are gone.
      expect(commands).not.toContain('The Ready to Sync command (DESIGN');
      expect(commands).not.toContain('runReadyToSync');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('the build fails, naming the file and the error, when a script does not compile', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-wr-'));
    const broken = path.join(out, 'broken.ts');
    fs.writeFileSync(broken, 'export const x = ;\n');
    try {
      const attempt = bundleWebResources({ distDir: path.join(out, 'dist'), mapsDir: path.join(out, 'maps'), entries: { 'pfb_/scripts/broken.js': broken } });
      await expect(attempt).rejects.toBeInstanceOf(BuildFailed);
      await expect(attempt).rejects.toThrow(/broken\.ts:1:\d+ Unexpected ";"/);
      expect(fs.existsSync(path.join(out, 'dist', 'pfb_/scripts/broken.js'))).toBe(false);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
