import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConversationLog, type ActivitySet } from '../../../src/runtime/channels/webchat/conversation-log';

const texts = (set: ActivitySet) => set.activities.map((activity) => activity.text);

describe('a Direct Line conversation log', () => {
  it('sends the appends of one event-loop turn to a stream as one activity set', async () => {
    const log = new ConversationLog('c1', 'ada');
    const sent: ActivitySet[] = [];
    log.subscribe(-1, (set) => sent.push(set));
    log.append({ type: 'message', text: 'hi' }, { prefix: 'm' });
    log.append({ type: 'message', text: 'hello' }, { prefix: 'm' });
    expect(sent).toEqual([]);
    await nextLoopTurn();
    expect(sent.map(texts)).toEqual([['hi', 'hello']]);
    expect(sent[0]?.watermark).toBe('2');

    log.append({ type: 'message', text: 'again' }, { prefix: 'm' });
    await nextLoopTurn();
    expect(sent.map(texts)).toEqual([['hi', 'hello'], ['again']]);
  });

  it('replays from a watermark on subscribe and never sends an activity twice, even one still pending', async () => {
    const log = new ConversationLog('c1', 'ada');
    const early: ActivitySet[] = [];
    log.subscribe(-1, (set) => early.push(set));
    log.append({ type: 'message', text: 'one' }, { prefix: 'm' });
    log.append({ type: 'message', text: 'two' }, { prefix: 'm' });
    // Joins while 'one' and 'two' wait for the end of the loop turn: the replay already carries them.
    const late: ActivitySet[] = [];
    log.subscribe(0, (set) => late.push(set));
    expect(late.map(texts)).toEqual([['one', 'two']]);
    await nextLoopTurn();
    expect(late.map(texts)).toEqual([['one', 'two']]);
    expect(early.map(texts)).toEqual([['one', 'two']]);

    const resumed: ActivitySet[] = [];
    log.subscribe(1, (set) => resumed.push(set));
    expect(resumed.map(texts)).toEqual([['two']]);
  });

  it('answers polls by watermark and keeps counting after old activities are dropped', () => {
    const log = new ConversationLog('c1', 'ada');
    for (let i = 1; i <= 11_500; i += 1) log.append({ type: 'message', text: `m${i}` }, { prefix: 'm' });
    expect(log.since(11_498).activities.map((a) => a.text)).toEqual(['m11499', 'm11500']);
    expect(log.since(11_500)).toEqual({ activities: [], watermark: '11500' });
    const all = log.since(undefined).activities;
    expect(all.length).toBeLessThanOrEqual(11_000);
    expect(all.length).toBeGreaterThanOrEqual(10_000);
    expect(all.at(-1)?.watermark).toBe('11500');
    expect(Number(all[0]?.watermark)).toBe(11_500 - all.length + 1);
    expect(log.since(5).activities).toEqual(all);
  });
});
