// Lighthouse, mobile profile (its default: a mid-range phone on a throttled 4G link,
// simulated), with Debian's chromium. Called by bench/run.py while its server runs:
//
//   node bench/lighthouse.mjs http://127.0.0.1:PORT "village portal=/desa/x" ...
//
// Prints one JSON object: for each page its performance score (0–100), first and largest
// contentful paint (ms), total blocking time (ms), layout shift, and bytes transferred.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [base, ...pages] = process.argv.slice(2);
if (!base || pages.length === 0) {
  console.error('usage: node bench/lighthouse.mjs BASE_URL "name=/path" ...');
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-dev-shm-usage',
  ],
});

const results = {};
try {
  for (const page of pages) {
    const cut = page.indexOf('=');
    const name = page.slice(0, cut);
    const url = base + page.slice(cut + 1);
    // The default config is the mobile profile; only the performance category is run.
    const run = await lighthouse(url, {
      port: chrome.port,
      onlyCategories: ['performance'],
      logLevel: 'error',
      output: 'json',
    });
    const lhr = run.lhr;
    if (lhr.runtimeError) {
      throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    }
    const audit = (id) => lhr.audits[id]?.numericValue ?? null;
    results[name] = {
      url: page.slice(cut + 1),
      score: Math.round((lhr.categories.performance.score ?? 0) * 100),
      fcp_ms: audit('first-contentful-paint'),
      lcp_ms: audit('largest-contentful-paint'),
      tbt_ms: audit('total-blocking-time'),
      cls: audit('cumulative-layout-shift'),
      transfer_bytes: audit('total-byte-weight'),
      form_factor: lhr.configSettings.formFactor,
      throttling: lhr.configSettings.throttlingMethod,
    };
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(results, null, 2));
