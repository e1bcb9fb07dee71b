/**
 * A small DOM for the ticker's browser script (src/webview) in unit tests: elements with the parts the
 * script touches (text, attributes, `dataset`, `classList`, `hidden`, children, bubbling events, `closest`
 * by class), a `document` built from the real page markup, `window` message events, and observers and
 * animation frames the test triggers by hand. jsdom would do more, but is not a dependency; this is enough
 * to run main.ts, rows.ts and chart.ts and read what a user would see.
 */

type Listener = (event: FakeEvent) => void;

/** An event dispatched on an element (bubbling to its ancestors) or on the window. */
export class FakeEvent {
  target: FakeElement | undefined;
  defaultPrevented = false;
  propagationStopped = false;
  constructor(
    readonly type: string,
    init: { key?: string; data?: unknown } = {},
  ) {
    Object.assign(this, init);
  }
  key?: string;
  data?: unknown;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopPropagation(): void {
    this.propagationStopped = true;
  }
}

class Listeners {
  private readonly map = new Map<string, Set<Listener>>();
  add(type: string, listener: Listener): void {
    const set = this.map.get(type) ?? new Set();
    set.add(listener);
    this.map.set(type, set);
  }
  remove(type: string, listener: Listener): void {
    this.map.get(type)?.delete(listener);
  }
  call(event: FakeEvent): void {
    for (const l of [...(this.map.get(event.type) ?? [])]) l(event);
  }
}

/** An element: the subset of `HTMLElement` the webview script uses. */
export class FakeElement {
  id = '';
  className = '';
  hidden = false;
  title = '';
  tabIndex = -1;
  type = '';
  clientWidth = 300;
  clientHeight = 200;
  readonly dataset: Record<string, string> = {};
  /** Inline style properties set through the CSSOM (`style.setProperty`). */
  readonly style = {
    properties: new Map<string, string>(),
    setProperty(name: string, value: string): void {
      this.properties.set(name, value);
    },
    getPropertyValue(name: string): string {
      return this.properties.get(name) ?? '';
    },
  };
  readonly attributes = new Map<string, string>();
  children: FakeElement[] = [];
  parent: FakeElement | undefined;
  focused = 0;
  private text = '';
  private readonly listeners = new Listeners();

  constructor(
    readonly tagName: string,
    readonly ownerDocument: FakeDocument,
  ) {}

  readonly classList = {
    add: (...names: string[]): void => this.setClasses([...this.classes(), ...names]),
    remove: (...names: string[]): void => this.setClasses(this.classes().filter((c) => !names.includes(c))),
    contains: (name: string): boolean => this.classes().includes(name),
    toggle: (name: string, force?: boolean): boolean => {
      const on = force ?? !this.classList.contains(name);
      if (on) this.classList.add(name);
      else this.classList.remove(name);
      return on;
    },
  };

  private classes(): string[] {
    return this.className.split(/\s+/).filter((c) => c !== '');
  }
  private setClasses(names: string[]): void {
    this.className = [...new Set(names)].join(' ');
  }

  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.text = value;
    for (const c of this.children) c.parent = undefined;
    this.children = [];
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
    if (name === 'id') this.id = value;
    if (name === 'class') this.className = value;
    if (name === 'hidden') this.hidden = true;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  appendChild(child: FakeElement): FakeElement {
    child.remove();
    child.parent = this;
    this.children.push(child);
    return child;
  }
  append(...children: FakeElement[]): void {
    for (const c of children) this.appendChild(c);
  }
  replaceChildren(...children: FakeElement[]): void {
    this.textContent = '';
    this.append(...children);
  }
  remove(): void {
    if (!this.parent) return;
    this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = undefined;
  }
  contains(node: unknown): boolean {
    for (let n = node as FakeElement | undefined; n; n = n.parent) if (n === this) return true;
    return false;
  }
  /** Supports `.class` selectors (all the script uses). */
  closest(selector: string): FakeElement | null {
    const name = selector.replace(/^\./, '');
    return this.ancestry().find((n) => n.classList.contains(name)) ?? null;
  }
  /** This element and its ancestors, innermost first. */
  ancestry(): FakeElement[] {
    const chain: FakeElement[] = [];
    for (let n = this.parent; n; n = n.parent) chain.push(n);
    return [this as FakeElement, ...chain];
  }
  /** Every descendant, depth first. */
  descendants(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.descendants()]);
  }
  querySelectorAll(selector: string): FakeElement[] {
    return this.descendants().filter((d) => d.classList.contains(selector.replace(/^\./, '')));
  }
  focus(): void {
    this.focused++;
    this.ownerDocument.activeElement = this;
  }
  scrollIntoView(): void {}

  addEventListener(type: string, listener: Listener): void {
    this.listeners.add(type, listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.remove(type, listener);
  }
  /** Dispatches `event` here and on each ancestor until one stops it. */
  dispatchEvent(event: FakeEvent): boolean {
    event.target ??= this;
    for (const n of this.ancestry()) {
      if (event.propagationStopped) break;
      n.listeners.call(event);
    }
    return !event.defaultPrevented;
  }
}

const VOID = new Set(['meta', 'link', 'br', 'img', 'input', 'path']);

/** The document: built from HTML markup (tags and attributes; scripts and styles are not run). */
export class FakeDocument {
  readonly documentElement: FakeElement;
  body: FakeElement;
  activeElement: FakeElement | null = null;

  constructor(html: string) {
    this.documentElement = new FakeElement('html', this);
    this.body = this.documentElement;
    const stack = [this.documentElement];
    for (const m of html
      .replace(/<!DOCTYPE[^>]*>/i, '')
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
      .matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>|([^<]+)/g)) {
      const [, closing, tag, attrs, selfClosing, text] = m;
      const top = stack[stack.length - 1];
      if (text !== undefined) {
        if (text.trim() !== '') top.appendChild(this.textNode(text));
      } else if (closing) {
        if (stack.length > 1) stack.pop();
      } else if (tag.toLowerCase() === 'html') {
        continue;
      } else {
        const element = this.createElement(tag.toLowerCase());
        for (const a of attrs.matchAll(/([\w-:]+)(?:="([^"]*)")?/g)) {
          if (a[1].startsWith('data-'))
            element.dataset[a[1].slice(5).replace(/-(\w)/g, (_x, c: string) => c.toUpperCase())] = a[2] ?? '';
          element.setAttribute(a[1], a[2] ?? '');
        }
        top.appendChild(element);
        if (element.tagName === 'body') this.body = element;
        if (!selfClosing && !VOID.has(element.tagName)) stack.push(element);
      }
    }
  }

  private textNode(text: string): FakeElement {
    const node = this.createElement('#text');
    node.textContent = text.trim();
    return node;
  }

  createElement(tag: string): FakeElement {
    return new FakeElement(tag, this);
  }

  getElementById(id: string): FakeElement | null {
    return [this.documentElement, ...this.documentElement.descendants()].find((e) => e.id === id) ?? null;
  }
}

/** Observers and frames: recorded, run by the test. */
export class FakeMutationObserver {
  static readonly all: FakeMutationObserver[] = [];
  observed = 0;
  disconnected = false;
  constructor(readonly callback: () => void) {
    FakeMutationObserver.all.push(this);
  }
  observe(): void {
    this.observed++;
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

/** `ResizeObserver`, triggered by hand. */
export class FakeResizeObserver {
  static readonly all: FakeResizeObserver[] = [];
  disconnected = false;
  constructor(readonly callback: () => void) {
    FakeResizeObserver.all.push(this);
  }
  observe(): void {}
  disconnect(): void {
    this.disconnected = true;
  }
}

/** The browser globals the script reads, installed on `globalThis` and removed by `uninstall()`. */
export class FakeBrowser {
  readonly window = new FakeElement('window', undefined as unknown as FakeDocument);
  readonly frames: Array<() => void> = [];
  /** CSS custom properties as `getComputedStyle(...).getPropertyValue` answers them. */
  readonly cssVars = new Map<string, string>();
  private readonly saved = new Map<string, PropertyDescriptor | undefined>();

  constructor(readonly document: FakeDocument) {}

  install(extra: Record<string, unknown> = {}): void {
    FakeMutationObserver.all.length = 0;
    FakeResizeObserver.all.length = 0;
    const globals: Record<string, unknown> = {
      document: this.document,
      window: this.window,
      Element: FakeElement,
      MutationObserver: FakeMutationObserver,
      ResizeObserver: FakeResizeObserver,
      requestAnimationFrame: (callback: () => void) => this.frames.push(callback),
      getComputedStyle: () => ({ getPropertyValue: (name: string) => this.cssVars.get(name) ?? '' }),
      ...extra,
    };
    for (const [key, value] of Object.entries(globals)) {
      this.saved.set(key, Object.getOwnPropertyDescriptor(globalThis, key));
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
  }

  uninstall(): void {
    for (const [key, descriptor] of this.saved) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete (globalThis as Record<string, unknown>)[key];
    }
    this.saved.clear();
  }

  /** Runs the animation frames requested so far. */
  runFrames(): void {
    for (const frame of this.frames.splice(0)) frame();
  }
}
