import { describe, expect, it } from 'vitest';
import * as browser from './host.browser.js';
import * as node from './host.node.js';

describe('host seam', () => {
  it('in Node reaches built-ins without importing them and loads peers by name', async () => {
    expect(node.HOST_KIND).toBe('node');
    expect(node.nodeBuiltin<{ sep: string }>('node:path')?.sep).toBe('/');
    await expect(node.importOptionalPeer('@ladon/not-a-package', 'this test', 'compiler')).rejects.toThrow(/this test needs @ladon\/not-a-package.*pass \{ compiler \}/);
  });

  it('in a browser build has no built-ins and asks for the peer to be handed in', async () => {
    expect(browser.HOST_KIND).toBe('browser');
    expect(browser.nodeBuiltin('node:path')).toBeUndefined();
    await expect(browser.importOptionalPeer('@ladon/compiler', 'compiling', 'compiler')).rejects.toThrow("{ compiler: () => import('@ladon/compiler') }");
  });
});
