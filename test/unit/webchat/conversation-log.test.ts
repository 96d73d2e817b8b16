import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConversationLog, type ActivitySet } from '../../../src/runtime/channels/webchat/conversation-log';

const parse = (json: string) => JSON.parse(json) as ActivitySet;
const texts = (json: string) => parse(json).activities.map((activity) => activity.text);
const watermarks = (json: string) => parse(json).activities.map((activity) => Number(activity.watermark));

describe('a Direct Line conversation log', () => {
  it('sends the appends of one event-loop turn to a stream as one activity set', async () => {
    const log = new ConversationLog('c1', 'ada');
    const sent: string[] = [];
    log.subscribe(-1, (set) => sent.push(set));
    log.append({ type: 'message', text: 'hi' }, { prefix: 'm' });
    log.append({ type: 'message', text: 'hello' }, { prefix: 'm' });
    expect(sent).toEqual([]);
    await nextLoopTurn();
    expect(sent.map(texts)).toEqual([['hi', 'hello']]);
    expect(parse(sent[0] as string).watermark).toBe('2');
    expect(parse(sent[0] as string).activities[0]).toMatchObject({ id: 'm-1', conversation: { id: 'c1' }, watermark: '1', timestamp: expect.any(String) });

    log.append({ type: 'message', text: 'again' }, { prefix: 'm' });
    await nextLoopTurn();
    expect(sent.map(texts)).toEqual([['hi', 'hello'], ['again']]);
  });

  it('replays from a watermark on subscribe and never sends an activity twice, even one still pending', async () => {
    const log = new ConversationLog('c1', 'ada');
    const early: string[] = [];
    log.subscribe(-1, (set) => early.push(set));
    log.append({ type: 'message', text: 'one' }, { prefix: 'm' });
    log.append({ type: 'message', text: 'two' }, { prefix: 'm' });
    // Joins while 'one' and 'two' wait for the end of the loop turn: the replay already carries them.
    const late: string[] = [];
    log.subscribe(0, (set) => late.push(set));
    expect(late.map(texts)).toEqual([['one', 'two']]);
    await nextLoopTurn();
    expect(late.map(texts)).toEqual([['one', 'two']]);
    expect(early.map(texts)).toEqual([['one', 'two']]);

    const resumed: string[] = [];
    log.subscribe(1, (set) => resumed.push(set));
    expect(resumed.map(texts)).toEqual([['two']]);
  });

  it('answers polls by watermark and keeps counting after old activities are dropped', () => {
    const log = new ConversationLog('c1', 'ada');
    for (let i = 1; i <= 11_500; i += 1) log.append({ type: 'message', text: `m${i}` }, { prefix: 'm' });
    expect(texts(log.since(11_498))).toEqual(['m11499', 'm11500']);
    expect(parse(log.since(11_500))).toEqual({ activities: [], watermark: '11500' });
    const all = parse(log.since(undefined)).activities;
    expect(all.length).toBeLessThanOrEqual(11_000);
    expect(all.length).toBeGreaterThanOrEqual(10_000);
    expect(all.at(-1)?.watermark).toBe('11500');
    expect(Number(all[0]?.watermark)).toBe(11_500 - all.length + 1);
    expect(parse(log.since(5)).activities).toEqual(all);
  });

  it('drops its oldest activities beyond its byte budget, keeping the newest whatever its size', () => {
    const log = new ConversationLog('c1', 'ada', { maxBytes: 64 * 1024 });
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 500; i += 1) log.append({ type: 'message', text }, { prefix: 'm' });
    expect(log.keptBytes).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(log.since(undefined))).toBeLessThanOrEqual(64 * 1024 + 64);
    const kept = watermarks(log.since(undefined));
    expect(kept.at(-1)).toBe(500);
    expect(kept).toEqual(kept.map((_, i) => (kept[0] as number) + i));
    expect(kept.length).toBeGreaterThan(40);

    // Multi-byte text counts by its UTF-8 bytes, not by characters.
    const wide = new ConversationLog('c2', 'ada', { maxBytes: 64 * 1024 });
    for (let i = 0; i < 500; i += 1) wide.append({ type: 'message', text: '€'.repeat(1000) }, { prefix: 'm' });
    expect(watermarks(wide.since(undefined)).length).toBeLessThan(kept.length / 2);

    const huge = 'y'.repeat(200 * 1024);
    log.append({ type: 'message', text: huge }, { prefix: 'm' });
    expect(texts(log.since(undefined))).toEqual([huge]);
    log.append({ type: 'message', text: 'small' }, { prefix: 'm' });
    expect(texts(log.since(undefined))).toEqual(['small']);
    expect(parse(log.since(undefined)).watermark).toBe('502');
  });
});
