/** Bundle entry for pages: `window.SandboxXrm` (mountXrm and the building blocks of a shell). */
import { CommandBar, GridControl, createForm, createWebApi, mountXrm, openFormPage, openGridPage, readRibbonDiff, renderGrid } from './index';

(globalThis as Record<string, unknown>)['SandboxXrm'] = { mountXrm, openGridPage, openFormPage, createWebApi, GridControl, renderGrid, createForm, CommandBar, readRibbonDiff };
