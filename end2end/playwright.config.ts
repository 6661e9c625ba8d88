import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests for coop-travel.
 *
 * The browser is the system Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH):
 * this suite never downloads a browser. Install with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1.
 *
 * Environment:
 *   BASE_URL        where the app listens (default http://127.0.0.1:3100)
 *   CHROMIUM_PATH   Chromium executable (default /usr/bin/chromium)
 *   E2E_SERVER_CMD  if set, Playwright starts the server with this command (run from end2end/)
 *                   and waits for BASE_URL/healthz; otherwise the server must already be running.
 */
const baseURL = process.env.BASE_URL || 'http://127.0.0.1:3100';
const serverCommand = process.env.E2E_SERVER_CMD;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  retries: 0,
  // 2-core machine: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  ...(serverCommand
    ? {
        webServer: {
          command: serverCommand,
          url: `${baseURL}/healthz`,
          reuseExistingServer: false,
          timeout: 120_000,
          stdout: 'pipe' as const,
          stderr: 'pipe' as const,
        },
      }
    : {}),
});
