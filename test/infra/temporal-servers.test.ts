/**
 * The two Temporal servers the other tests stand on, started the way they start them
 * (test/helpers/temporal-env.ts), with nothing mocked.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import {
  MentorflowCoordinatorId,
  MentorflowJourneyKind,
  MentorflowNextDueAt,
  MentorflowStage,
  mentorflowSearchAttributes,
} from '../../contracts/search-attributes';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Starts a workflow no worker will ever run: the server alone records it and its search attributes. */
async function startUnworked(env: ReturnType<ReturnType<typeof useTimeSkippingEnvironment>>, workflowId: string) {
  return env.client.workflow.start('neverRun', {
    taskQueue: `nobody-polls-${workflowId}`,
    workflowId,
    typedSearchAttributes: [
      { key: MentorflowJourneyKind, value: 'youngPerson' },
      { key: MentorflowStage, value: 'referral' },
      { key: MentorflowCoordinatorId, value: 'co-1' },
      { key: MentorflowNextDueAt, value: new Date('2030-01-07T09:00:00Z') },
    ],
  });
}

describe('time-skipping test server', () => {
  const env = useTimeSkippingEnvironment();

  it('skips 30 days of server time without waiting for them', async () => {
    expect(env().supportsTimeSkipping).toBe(true);
    const before = await env().currentTimeMs();
    const started = performance.now();
    await env().sleep('30 days');
    const elapsed = performance.now() - started;
    const after = await env().currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('accepts the Mentorflow search attributes (registered by the helper) and rejects unknown ones', async () => {
    const handle = await startUnworked(env(), 'ts-search-attributes');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(MentorflowStage)).toBe('referral');
    expect(description.typedSearchAttributes.get(MentorflowNextDueAt)?.toISOString()).toBe('2030-01-07T09:00:00.000Z');
    await handle.terminate('test done');

    const unknown = defineSearchAttributeKey('NotAMentorflowAttribute', SearchAttributeType.KEYWORD);
    await expect(
      env().client.workflow.start('neverRun', {
        taskQueue: 'nobody-polls',
        workflowId: 'ts-unknown-attribute',
        typedSearchAttributes: [{ key: unknown, value: 'x' }],
      }),
    ).rejects.toThrow();
    await expect(env().client.workflow.getHandle('ts-unknown-attribute').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

describe('dev server (Temporal CLI)', () => {
  const env = useDevServerEnvironment();

  it('runs in real time with the Mentorflow search attributes registered', async () => {
    expect(env().supportsTimeSkipping).toBe(false);
    const { customAttributes } = await env().connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const registered = Object.fromEntries(mentorflowSearchAttributes.map((key) => [key.name, customAttributes?.[key.name]]));
    expect(registered).toEqual({
      MentorflowJourneyKind: encodeSearchAttributeIndexedValueType('KEYWORD'),
      MentorflowStage: encodeSearchAttributeIndexedValueType('KEYWORD'),
      MentorflowCoordinatorId: encodeSearchAttributeIndexedValueType('KEYWORD'),
      MentorflowNextDueAt: encodeSearchAttributeIndexedValueType('DATETIME'),
      MentorflowOverdueSince: encodeSearchAttributeIndexedValueType('DATETIME'),
      MentorflowState: encodeSearchAttributeIndexedValueType('KEYWORD'),
      MentorflowOpenNudges: encodeSearchAttributeIndexedValueType('KEYWORD_LIST'),
      MentorflowNextDue: encodeSearchAttributeIndexedValueType('KEYWORD'),
    });

    const handle = await startUnworked(env(), 'dev-search-attributes');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(MentorflowCoordinatorId)).toBe('co-1');
    await handle.terminate('test done');
  });
});
