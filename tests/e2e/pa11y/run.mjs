// pa11y with the HTML_CodeSniffer runner (WCAG2AA) over Debian's Chromium, one browser for many pages.
// Reads JSON lines {"url": ..., "cookie": "name=value; ..."} on stdin and answers one JSON line each:
// {"url": ..., "issues": [{code, message, selector, context}]} with the errors pa11y found.
import readline from "node:readline";
import puppeteer from "puppeteer";
import pa11y from "pa11y";

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { url, cookie, width } = JSON.parse(line);
  let answer;
  try {
    const page = await browser.newPage();
    const result = await pa11y(url, {
      browser, page, standard: "WCAG2AA", runners: ["htmlcs"], includeWarnings: false, includeNotices: false,
      headers: cookie ? { Cookie: cookie } : {}, viewport: { width: width || 1280, height: 900 }, timeout: 30000,
    });
    await page.close();
    answer = { url, issues: result.issues.filter((i) => i.type === "error")
      .map(({ code, message, selector, context }) => ({ code, message, selector, context })) };
  } catch (error) {
    answer = { url, error: String(error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
