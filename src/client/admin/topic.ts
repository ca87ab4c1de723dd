/**
 * One tag of a story: a text field that offers the site's topics (a `<datalist>` of
 * /admin/topics.json, the names its topic pages use) and still takes a new one, since a new tag
 * makes a new topic page. The Tags list (src/cms/config.ts) holds one of these per tag.
 */

/** The widget's name in the config. */
export const TOPIC = 'topic';
/** The `<datalist>` every Tags entry points at. */
export const TOPICS_LIST_ID = 'masthead-topics';

type Component = unknown;
interface ControlProps {
  value?: unknown;
  forID?: string;
  classNameWrapper?: string;
  onChange: (value: string) => void;
  setActiveStyle?: () => void;
  setInactiveStyle?: () => void;
}
interface WidgetCms {
  getWidget(name: string): { control: Component; preview?: Component } | undefined;
  registerWidget(name: string, control: Component, preview?: Component): void;
}
interface ReactGlobals {
  h: (tag: Component, props: object | null, ...children: unknown[]) => unknown;
  createClass: (spec: object) => Component;
}

/** The topics as options, spelled as their pages spell them; one list for the whole editor. */
export function topicOptions(topics: unknown): string[] {
  if (!Array.isArray(topics)) return [];
  return [...new Set(topics.filter((t): t is string => typeof t === 'string' && t.trim() !== ''))];
}

export function registerTopic(cms: WidgetCms, topics: readonly string[]) {
  const { h, createClass } = window as unknown as ReactGlobals;
  const string = cms.getWidget('string');
  if (!string) throw new Error('Decap has no string widget');
  // The options live once in the page, outside React: every entry's input names them by id.
  if (!document.getElementById(TOPICS_LIST_ID)) {
    const list = document.createElement('datalist');
    list.id = TOPICS_LIST_ID;
    for (const topic of topics) list.append(Object.assign(document.createElement('option'), { value: topic }));
    document.body.append(list);
  }
  const control = createClass({
    render(this: { props: ControlProps }) {
      const p = this.props;
      return h('input', {
        type: 'text',
        id: p.forID,
        className: p.classNameWrapper,
        value: typeof p.value === 'string' ? p.value : '',
        list: TOPICS_LIST_ID,
        autoComplete: 'off',
        onChange: (e: { target: { value: string } }) => p.onChange(e.target.value),
        onFocus: p.setActiveStyle,
        onBlur: p.setInactiveStyle,
      });
    },
  });
  cms.registerWidget(TOPIC, control, string.preview);
}
