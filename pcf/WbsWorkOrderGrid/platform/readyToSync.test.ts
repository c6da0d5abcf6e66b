import { COMMANDS_WEB_RESOURCE, createReadyToSyncPort } from './readyToSync';

type Win = Window & { ProjectFieldBridge?: unknown };

afterEach(() => {
  delete (window as Win).ProjectFieldBridge;
  document.head.querySelectorAll('script').forEach((s) => s.remove());
});

describe('Ready to Sync port', () => {
  it('uses the ribbon command already on the page', async () => {
    const run = jest.fn().mockResolvedValue({ queued: 2 });
    (window as Win).ProjectFieldBridge = { ReadyToSync: { run } };
    const port = createReadyToSyncPort('https://org.example');
    const found = await port.resolve();
    await found?.(['a', 'b'], { projectId: 'p' });
    expect(run).toHaveBeenCalledWith(['a', 'b'], { projectId: 'p' });
    expect(document.head.querySelector('script')).toBeNull();
  });

  it('loads the web resource from the organisation when the command is not on the page', async () => {
    const port = createReadyToSyncPort('https://org.example', window, 5000);
    const pending = port.resolve();
    const script = document.head.querySelector('script') as HTMLScriptElement;
    expect(script.src).toBe(`https://org.example/WebResources/${COMMANDS_WEB_RESOURCE}`);
    // The web resource registers the command, then the browser fires load.
    const run = jest.fn().mockResolvedValue(undefined);
    (window as Win).ProjectFieldBridge = { ReadyToSync: { run } };
    script.dispatchEvent(new Event('load'));
    const found = await pending;
    expect(found).not.toBeNull();
    await found?.(['t1']);
    expect(run).toHaveBeenCalledWith(['t1'], undefined);
    // Asked again: no second script tag.
    await port.resolve();
    expect(document.head.querySelectorAll('script')).toHaveLength(1);
  });

  it('gives null when the web resource cannot be loaded', async () => {
    const port = createReadyToSyncPort('https://org.example', window, 5000);
    const pending = port.resolve();
    (document.head.querySelector('script') as HTMLScriptElement).dispatchEvent(new Event('error'));
    expect(await pending).toBeNull();
  });

  it('gives null when the script loads but registers nothing', async () => {
    const port = createReadyToSyncPort('https://org.example', window, 5000);
    const pending = port.resolve();
    (document.head.querySelector('script') as HTMLScriptElement).dispatchEvent(new Event('load'));
    expect(await pending).toBeNull();
  });
});
