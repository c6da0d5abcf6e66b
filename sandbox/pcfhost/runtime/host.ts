/// <reference lib="dom" />
/**
 * Browser entry of the sandbox's PCF host: `window.PfbPcfHost.mountControl(options)`. Load /pcfhost/vendor.js (the
 * platform libraries) first.
 */
import { mountControl } from './mount';

export type { MountOptions, MountedControl, RenderInfo, DatasetOptions, NavigationEvent, RecordInfo, RequestLog } from './mount';

(window as unknown as Record<string, unknown>)['PfbPcfHost'] = { mountControl };
