/** The sandbox shell's styles, added once per document: Fluent-like, readable, high-contrast friendly. */
import type { DomDocument } from './dom';

const CSS = `
.sx-overlay{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center;z-index:1000;font-family:"Segoe UI",system-ui,sans-serif}
.sx-dialog{background:#fff;color:#242424;border-radius:8px;box-shadow:0 8px 32px rgba(0,0,0,.3);max-width:min(720px,92vw);max-height:86vh;display:flex;flex-direction:column;padding:20px 24px;gap:12px}
.sx-dialog h2{font-size:20px;font-weight:600;margin:0}
.sx-dialog .sx-subtitle{margin:0;color:#424242}
.sx-dialog .sx-text{white-space:pre-wrap;overflow:auto;line-height:1.45;margin:0}
.sx-buttons{display:flex;justify-content:flex-end;gap:8px}
.sx-button{font:inherit;padding:6px 16px;border-radius:4px;border:1px solid #616161;background:#fff;color:#242424;cursor:pointer;min-height:32px}
.sx-button.sx-primary{background:#0f6cbd;border-color:#0f6cbd;color:#fff}
.sx-button:focus-visible{outline:2px solid #000;outline-offset:2px}
.sx-button[disabled]{opacity:.5;cursor:default}
.sx-progress{background:#fff;border-radius:8px;padding:20px 28px;display:flex;align-items:center;gap:12px}
.sx-spinner{width:20px;height:20px;border:3px solid #c7e0f4;border-top-color:#0f6cbd;border-radius:50%;animation:sx-spin 1s linear infinite}
@keyframes sx-spin{to{transform:rotate(360deg)}}
.sx-notifications{display:flex;flex-direction:column;gap:4px;font-family:"Segoe UI",system-ui,sans-serif}
.sx-notification{display:flex;align-items:center;gap:8px;padding:8px 12px;border-left:4px solid;background:#f5f5f5;color:#242424}
.sx-notification .sx-message{flex:1;white-space:pre-wrap}
.sx-notification.sx-success{border-color:#107c10;background:#f1faf1}
.sx-notification.sx-error{border-color:#c50f1f;background:#fdf3f4}
.sx-notification.sx-warning{border-color:#8a6100;background:#fff9f5}
.sx-notification.sx-info{border-color:#0f6cbd;background:#ebf3fc}
.sx-commandbar{display:flex;gap:4px;padding:6px 8px;border-bottom:1px solid #e0e0e0;font-family:"Segoe UI",system-ui,sans-serif}
.sx-grid{border-collapse:collapse;width:100%;font-family:"Segoe UI",system-ui,sans-serif}
.sx-grid th,.sx-grid td{border-bottom:1px solid #e0e0e0;padding:4px 8px;text-align:left}
`;

export function ensureStyles(doc: DomDocument): void {
  if (doc.getElementById('sandbox-xrm-styles')) return;
  const style = doc.createElement('style');
  style.id = 'sandbox-xrm-styles';
  style.textContent = CSS;
  doc.head.append(style);
}
