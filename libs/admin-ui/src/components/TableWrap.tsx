import { useEffect, useRef, useState, type ReactNode } from 'react';

type Scrolls = 'right' | 'left' | 'both' | undefined;

/** Which way there is more of the table to see (undefined when it fits). */
function scrollState(el: HTMLElement): Scrolls {
  const more = el.scrollWidth - el.clientWidth;
  if (more <= 1) return undefined;
  const left = el.scrollLeft > 1;
  const right = el.scrollLeft < more - 1;
  return left && right ? 'both' : left ? 'left' : 'right';
}

/**
 * A table's frame. A table wider than the window scrolls inside it (never the page), with a
 * shadow on the side there is more to see (`data-scrolls`, styled in styles.css) and a hint
 * under it; it is then a keyboard-focusable region, so the arrow keys scroll it.
 */
export function TableWrap({ label, children }: { label?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState<Scrolls>(undefined);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      setScrolls(scrollState(el));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);
  return (
    <>
      <div
        ref={ref}
        className="table-wrap"
        data-scrolls={scrolls}
        tabIndex={scrolls ? 0 : undefined}
        role={scrolls ? 'region' : undefined}
        aria-label={scrolls ? `${label ?? 'Table'} (scrolls sideways)` : undefined}
      >
        {children}
      </div>
      {scrolls ? (
        <p className="table-scroll-hint small muted" aria-hidden="true">
          {scrolls === 'left' ? '← More to the left' : 'Scroll sideways for more →'}
        </p>
      ) : null}
    </>
  );
}
