// Drives Debian's Firefox ESR over WebDriver BiDi with puppeteer-core, for tests/engines/drivers.py.
// One JSON command a line on stdin ({id, cmd, ...}); one JSON answer a line on stdout ({id, ok, value | error}).
// Nothing is downloaded: puppeteer-core has no browser of its own, and the executable is passed in.
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

// Network safety: every request that is not to loopback goes to a dead local proxy (loopback is never proxied),
// no DNS-over-HTTPS, no prefetch, and Firefox's own background services stay off.
const PREFS = {
  "network.proxy.type": 1,
  "network.proxy.http": "127.0.0.1",
  "network.proxy.http_port": 9,
  "network.proxy.ssl": "127.0.0.1",
  "network.proxy.ssl_port": 9,
  "network.proxy.share_proxy_settings": true,
  "network.proxy.allow_hijacking_localhost": false,
  "network.trr.mode": 5,
  "network.dns.disablePrefetch": true,
  "network.predictor.enabled": false,
  "network.http.speculative-parallel-limit": 0,
  "network.connectivity-service.enabled": false,
  "network.captive-portal-service.enabled": false,
  "app.normandy.enabled": false,
  "app.update.enabled": false,
  "browser.region.network.url": "",
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.newtabpage.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "toolkit.telemetry.enabled": false,
  "extensions.getAddons.cache.enabled": false,
  "media.gmp-manager.url": "http://127.0.0.1:9/",
  "services.settings.server": "http://127.0.0.1:9/",
  "intl.accept_languages": "ja-JP, ja",
};

let browser = null;
let page = null;

const commands = {
  async launch({ executable, profile, width, height }) {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: executable,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: PREFS,
      defaultViewport: { width, height },
      protocolTimeout: 300000,
    });
    page = (await browser.pages())[0] || (await browser.newPage());
    page.setDefaultTimeout(120000);
    return (await browser.version()) || "firefox";
  },
  async goto({ url }) {
    await page.goto(url, { waitUntil: "load" });
  },
  async reload() {
    await page.reload({ waitUntil: "load" });
  },
  async eval({ expression }) {
    return await page.evaluate(expression);
  },
  async click({ css }) {
    await page.click(css);
  },
  async type({ css, text }) {
    await page.focus(css);
    await page.$eval(css, (el) => {
      el.value = "";
    });
    await page.type(css, text);
  },
  async key({ css, key }) {
    await page.focus(css);
    await page.keyboard.press(key);
  },
  async quit() {
    if (browser) await browser.close();
    browser = null;
    return null;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const message = JSON.parse(line);
  let answer;
  try {
    const value = await commands[message.cmd](message);
    answer = { id: message.id, ok: true, value: value === undefined ? null : value };
  } catch (error) {
    answer = { id: message.id, ok: false, error: String((error && error.stack) || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (message.cmd === "quit") break;
}
if (browser) await browser.close();
