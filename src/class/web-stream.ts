/**
 * The web view's live feed: server-sent events carrying the whole class view.
 *
 * Learners' events only mark the view as changed; the view is built and sent at most once per
 * `minIntervalMs`, once for all browsers (and once more, without names, for projectors), so 200
 * learners reporting every second cost the server a couple of view builds a second, not 200 per
 * browser. Every `refreshMs` it is sent anyway: "stuck" and "on this step for…" move with the
 * clock, not with events. An idle class with no browser open costs nothing.
 */
import type { ServerResponse } from 'node:http';
import { buildClassView, withoutNames, type ClassView } from './class-view.js';
import type { ClassStore } from './store.js';

export interface ViewStreamOptions {
  store: ClassStore;
  stuckAfterMs: number;
  minIntervalMs?: number;
  refreshMs?: number;
  /** Subscribers beyond this are refused: each is an open connection. */
  maxSubscribers?: number;
}

/** About ten views of a 200-learner class. */
const MAX_UNREAD_BYTES = 1024 * 1024;

interface Subscriber {
  res: ServerResponse;
  projector: boolean;
}

export class ViewStream {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private readonly minIntervalMs: number;
  private readonly refreshMs: number;

  constructor(private readonly options: ViewStreamOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.refreshMs = options.refreshMs ?? 15_000;
  }

  /** The view as a browser gets it, with or without names. */
  view(projector: boolean, now = Date.now()): ClassView {
    const view = buildClassView(this.options.store.snapshot(), { now, stuckAfterMs: this.options.stuckAfterMs });
    return projector ? withoutNames(view) : view;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts the event stream on `res`; false when there are too many already. */
  subscribe(res: ServerResponse, projector: boolean, headers: Record<string, string>): boolean {
    if (this.subscribers.size >= (this.options.maxSubscribers ?? 20)) return false;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const subscriber = { res, projector };
    this.subscribers.add(subscriber);
    res.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopTimers();
    });
    // The first frame at once, so the page never shows an empty class while it waits.
    res.write(`retry: 2000\nevent: view\ndata: ${JSON.stringify(this.view(projector))}\n\n`);
    this.refresher ??= setInterval(() => this.send(), this.refreshMs);
    return true;
  }

  /** Something in the class changed: send soon, at most once per interval. */
  changed(): void {
    if (this.subscribers.size === 0 || this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.minIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
  }

  close(): void {
    this.stopTimers();
    for (const { res } of this.subscribers) res.end();
    this.subscribers.clear();
  }

  private send(): void {
    this.lastSentAt = performance.now();
    const now = Date.now();
    const frames = new Map<boolean, string>();
    let named: ClassView | undefined;
    for (const { res, projector } of this.subscribers) {
      let frame = frames.get(projector);
      if (frame === undefined) {
        named ??= this.view(false, now);
        frame = `event: view\ndata: ${JSON.stringify(projector ? withoutNames(named) : named)}\n\n`;
        frames.set(projector, frame);
      }
      // A browser that stopped reading (a laptop asleep) would make the server buffer views without end.
      if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
      else res.write(frame);
    }
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    clearInterval(this.refresher);
    this.timer = undefined;
    this.refresher = undefined;
  }
}
