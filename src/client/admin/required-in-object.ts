/**
 * A text field that an optional object needs once anything in it is filled in (a photo's alt and
 * credit). Decap checks an optional object's required fields even when it is left empty, so
 * the config marks them optional and this widget reports the missing value at the field, in
 * check:content's words (`message`, written by src/cms/config.ts).
 */

/** The widget's name in the config. */
export const REQUIRED_IN_OBJECT = 'required-in-object';

interface ImmutableLike {
  get(key: string): unknown;
  getIn(path: string[]): unknown;
  toJS?(): unknown;
}
interface ControlProps {
  value?: unknown;
  field: ImmutableLike;
  entry?: ImmutableLike;
  parentIds?: string[];
}
type Component = unknown;
interface WidgetCms {
  getWidget(name: string): { control: Component; preview?: Component } | undefined;
  registerWidget(name: string, control: Component, preview?: Component): void;
}
interface ReactGlobals {
  h: (tag: Component, props: object | null) => unknown;
  createClass: (spec: object) => Component;
}

const filled = (v: unknown): boolean => {
  const js = v && typeof (v as ImmutableLike).toJS === 'function' ? (v as { toJS(): unknown }).toJS() : v;
  if (js == null || js === '') return false;
  if (Array.isArray(js)) return js.some(filled);
  if (typeof js === 'object') return Object.values(js).some(filled);
  return true;
};

let lastEntry: ImmutableLike | undefined;
/** The entry being edited, as the preview last rendered it. */
export const rememberEntry = (entry: ImmutableLike) => void (lastEntry = entry);

/** Whether a field with this value must be filled: its object has other values. */
export function missingInObject(value: unknown, siblings: Record<string, unknown> | undefined): boolean {
  return !filled(value) && filled(siblings);
}

export function registerRequiredInObject(cms: WidgetCms, name: string) {
  const { h, createClass } = window as unknown as ReactGlobals;
  const string = cms.getWidget('string');
  if (!string) throw new Error('Decap has no string widget');
  const control = createClass({
    isValid(this: { props: ControlProps }) {
      const { field, value, parentIds } = this.props;
      // A control's own `entry` is as of its last render, which Decap skips while the field is
      // untouched; the preview renders on every change, so its entry is current.
      const entry = lastEntry ?? this.props.entry;
      if (!entry) return true;
      // The object's path: `message` starts with it (`image.alt: …`).
      const message = String(field.get('message'));
      const objectPath = message.slice(0, message.indexOf(':')).split('.').slice(0, -1);
      const object = entry.getIn(['data', ...objectPath]);
      const values = object && typeof (object as ImmutableLike).toJS === 'function' ? ((object as { toJS(): unknown }).toJS() as Record<string, unknown>) : undefined;
      return missingInObject(value, values) ? { error: { type: 'PRESENCE', parentIds, message } } : true;
    },
    render(this: { props: ControlProps }) {
      return h(string.control, this.props);
    },
  });
  cms.registerWidget(name, control, string.preview);
}
