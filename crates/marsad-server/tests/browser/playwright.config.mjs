// Playwright configuration for the Marsad web UI tests. The browser is
// Debian's chromium (never a downloaded one); the server is started by run.sh,
// which passes its address in MARSAD_URL.
import { defineConfig } from '@playwright/test';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

export default defineConfig({
  testDir: './specs',
  outputDir: './artifacts/test-output',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.MARSAD_URL || 'http://127.0.0.1:8765',
    viewport: { width: 1280, height: 900 },
    locale: 'ar',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
