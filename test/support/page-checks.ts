import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Checks of a rendered page, run in the browser: accessibility (axe-core), the page and its cards
 * fitting the viewport, and the contrast of a text against its background.
 */

/** axe-core's violations on the page, each as "rule: target, target" (empty when none). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    // Evaluated rather than added as a <script>: the app's CSP refuses inline scripts.
    await page.evaluate(axe.source);
  }
  const result = await page.evaluate<axe.AxeResults>(
    'window.axe.run(document, { resultTypes: ["violations"] })',
  );
  return result.violations.map(
    (v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** How far the page is wider than its viewport, in CSS px (0 when it fits). */
export async function pageOverflow(page: Page): Promise<number> {
  return Number(
    await page.evaluate(
      'document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth',
    ),
  );
}

/**
 * Cards (`.panel`, `.card`) whose content reaches past their own box, with by how much; content
 * inside a scroll container of its own (a table's wrapper) counts as fitting.
 */
export async function overflowingCards(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const card of document.querySelectorAll('main .panel, main .card')) {
      const box = card.getBoundingClientRect();
      let worst = 0;
      let what = '';
      for (const el of card.querySelectorAll('*')) {
        if (el.closest('.table-wrap') && el.closest('.table-wrap') !== el) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const over = Math.max(r.right - box.right, box.left - r.left);
        if (over > worst) { worst = over; what = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"'; }
      }
      if (worst > 1) out.push(Math.round(worst) + ' px: ' + what);
    }
    return out;
  })()`);
}

/** WCAG contrast ratio of an element's text colour against the first opaque background behind it. */
export async function contrastRatio(page: Page, selector: string): Promise<number> {
  return Number(
    await page.evaluate(`(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) throw new Error('no element ' + ${JSON.stringify(selector)});
      const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
      const lum = ([r, g, b]) => {
        const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
      };
      let bg = null;
      for (let n = el; n && !bg; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length === 3 || c[3] === 1) bg = c.slice(0, 3);
        const image = getComputedStyle(n).backgroundImage;
        // The frame paints the sidebar with a gradient: its first colour is the sidebar's.
        if (!bg && image.startsWith('linear-gradient')) bg = rgb(image.slice(image.indexOf('rgb'))).slice(0, 3);
      }
      const fg = lum(rgb(getComputedStyle(el).color));
      const back = lum(bg || [255, 255, 255]);
      return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
    })()`),
  );
}

/** Config paths, code names and timing keys a user page must not show outside "Details". */
const ENGINEER_WORDS =
  /\bauth\.[a-z]\w*|\bparallelismHint\b|\blatencyMs\b|\b[a-z]+Ms\b|Read ms|Match ms|Records read by worker|\bmerges\[|use "?isEmpty/;

/** The engineer words on the page (outside <details> disclosures), each with its context. */
export async function engineerWords(page: Page): Promise<string[]> {
  const text = await page.evaluate(`(() => {
    const main = document.querySelector('main').cloneNode(true);
    for (const d of main.querySelectorAll('details')) d.remove();
    return main.innerText;
  })()`);
  return String(text)
    .split('\n')
    .filter((line) => ENGINEER_WORDS.test(line))
    .map((line) => line.trim().slice(0, 120));
}
