/** Headless flags that keep Debian's Chromium off this machine's closed network (no sync,
 * updates or background fetches). Shared by the Lighthouse script and the browser tests. */
export const OFFLINE_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
