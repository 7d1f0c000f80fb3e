/**
 * Onboarding (the welcome panel, shown once) and lesson links: the page's URL carries the knobs,
 * the dream view and the controls a teacher hid, so a link opens the same lesson.
 */
import { $ } from './dom.ts';
import { HIDEABLE, lessonToParams, type Hideable, type Lesson } from './lesson.ts';
import type { LessonView, Page } from './page.ts';
import { CUSTOM } from './recipe.ts';

function installWelcome(): void {
  const welcome = $<HTMLElement>('welcome');
  const helpToggle = $<HTMLButtonElement>('help-toggle');
  function showWelcome(on: boolean): void {
    welcome.hidden = !on;
    helpToggle.setAttribute('aria-expanded', String(on));
    if (!on) {
      try {
        localStorage.setItem('driftlab.welcomed', '1');
      } catch {
        /* storage off: it shows again next time */
      }
    }
  }
  helpToggle.addEventListener('click', () => showWelcome(welcome.hidden));
  $('welcome-close').addEventListener('click', () => showWelcome(false));
  try {
    if (!localStorage.getItem('driftlab.welcomed')) showWelcome(true);
  } catch {
    showWelcome(true);
  }
}

export function installLessonView(page: Page): LessonView {
  installWelcome();
  const { lesson, els } = page;
  const hidden = new Set<Hideable>(lesson.hide);
  const lessonLink = $<HTMLOutputElement>('lesson-link');
  function currentLesson(): Lesson {
    const k = page.store.knobs.peek();
    return {
      scenario: k.scenario,
      preset: k.preset === CUSTOM ? k.base : k.preset,
      generations: k.generations,
      seeds: k.seeds,
      episodes: k.episodes,
      lineages: k.lineages,
      show: lesson.show,
      dream: els.dream.checked ? page.arena.dreamLayout() : 'off',
      generation: lesson.generation,
      hide: HIDEABLE.filter((h) => hidden.has(h)),
      autorun: lesson.autorun,
    };
  }
  function applyHidden(): void {
    for (const h of HIDEABLE) document.body.classList.toggle(`hide-${h}`, hidden.has(h));
  }
  function syncUrl(): void {
    const params = lessonToParams(currentLesson(), new URLSearchParams(location.search));
    const url = `${location.pathname}?${params}`;
    history.replaceState(null, '', url);
    lessonLink.value = new URL(url, location.href).href;
  }
  for (const h of HIDEABLE) {
    const cb = document.getElementById(`lesson-hide-${h}`) as HTMLInputElement | null;
    if (!cb) continue;
    cb.checked = hidden.has(h);
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.add(h);
      else hidden.delete(h);
      syncUrl();
    });
  }
  $('lesson-copy').addEventListener('click', async () => {
    syncUrl();
    try {
      await navigator.clipboard.writeText(lessonLink.value);
      page.notice('Lesson link copied. Opening it shows these knobs (and hides the ticked controls); Run gives the same results.');
    } catch {
      page.notice(`Lesson link: ${lessonLink.value}`);
    }
  });
  $('lesson-apply').addEventListener('click', () => applyHidden());
  return { syncUrl, applyHidden };
}
