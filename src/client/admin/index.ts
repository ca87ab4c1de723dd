/**
 * The web editor's own code (/admin/admin.js, bundled by src/integrations/web-editor.ts): the
 * article preview in the site's layout, check:content's wording at the field, and the same
 * schema check before every save. Loaded before decap-cms.js, so the CMS starts only after this
 * has registered everything (CMS_MANUAL_INIT).
 */
import { entryProblems } from './check.ts';
import { REQUIRED_IN_OBJECT, registerRequiredInObject } from './required-in-object.ts';
import { articlePreview, type PreviewData } from './preview.ts';
import { registerTopic, topicOptions } from './topic.ts';

interface ImmutableLike {
  toJS(): unknown;
  get(key: string): unknown;
}
interface Cms {
  init(options?: object): void;
  registerPreviewStyle(href: string): void;
  registerPreviewTemplate(name: string, component: unknown): void;
  getWidget(name: string): { control: unknown; preview?: unknown } | undefined;
  registerWidget(name: string, control: unknown, preview?: unknown): void;
  registerEventListener(listener: { name: string; handler: (e: { entry: ImmutableLike }) => unknown }): void;
  registerLocale(locale: string, phrases: object): void;
  getLocale(locale: string): Record<string, unknown> | undefined;
}
declare global {
  interface Window {
    CMS_MANUAL_INIT?: boolean;
    CMS?: Cms;
  }
}
window.CMS_MANUAL_INIT = true;

/** Decap's "X is required." in check:content's words: the field's own hint follows it. */
function localeWithOurWords(cms: Cms) {
  const en = cms.getLocale('en') as { editor?: { editorControlPane?: { widget?: Record<string, string> } } } | undefined;
  const widget = en?.editor?.editorControlPane?.widget;
  if (!en || !widget) return;
  cms.registerLocale('en', {
    ...en,
    editor: {
      ...en.editor,
      editorControlPane: {
        ...en.editor!.editorControlPane,
        widget: { ...widget, required: '%{fieldLabel}: is required', regexPattern: '%{fieldLabel}: %{pattern}' },
      },
    },
  });
}

async function start() {
  const cms = window.CMS;
  if (!cms) throw new Error('/admin/decap-cms.js did not load');
  localeWithOurWords(cms);
  registerRequiredInObject(cms, REQUIRED_IN_OBJECT);
  const [data, topics] = await Promise.all([
    fetch('/admin/preview.json').then((r) => r.json() as Promise<PreviewData>),
    // Built from the site index; a site without it (an old build) still takes typed tags.
    fetch('/admin/topics.json').then((r) => (r.ok ? r.json() : []), () => []),
  ]);
  registerTopic(cms, topicOptions(topics));
  for (const href of data.styles) cms.registerPreviewStyle(href);
  cms.registerPreviewTemplate('articles', articlePreview(data));
  cms.registerEventListener({
    name: 'preSave',
    handler: ({ entry }) => {
      const problems = entryProblems((entry.get('data') as ImmutableLike).toJS() as Record<string, unknown>);
      // Decap shows a failed save's error in its notice; the file is not written.
      if (problems.length) throw new Error(problems.join('\n'));
    },
  });
  cms.init();
}

if (typeof document !== 'undefined') {
  document.addEventListener('DOMContentLoaded', () => void start());
}
