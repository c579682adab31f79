/**
 * How every browser suite launches Debian's headless Chromium (the widget
 * tests through @web/test-runner, the demo's end-to-end tests through
 * playwright-core): as root in a container, without a GPU, and with nothing
 * of its own reaching the network (no background requests, updates or sync).
 */
export const chromiumLaunch = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
