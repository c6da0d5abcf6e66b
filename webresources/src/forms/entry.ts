/** Bundle entry of the web resource pfb_/scripts/forms.js: `ProjectFieldBridge.Forms.*` OnLoad handlers. */
import { registerNamespace } from '../commands/namespace';
import { projectTaskOnLoad, taskSyncOnLoad } from './formScripts';

registerNamespace({ Forms: { taskSyncOnLoad, projectTaskOnLoad } });
