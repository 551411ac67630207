/** The scheme directory: validated once, with every problem named by its field. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { DirectoryError, findCoordinator, leadFor, mailDomain, parseDirectory } from '../../../activities/notifications/directory';
import { directory } from './fixtures';

describe('the scheme directory', () => {
  it('accepts the example file shipped with the project', async () => {
    const file = path.resolve(__dirname, '../../../config/directory.example.yaml');
    const parsed = parseDirectory(YAML.parse(await readFile(file, 'utf8')));
    expect(parsed.leadCoordinator.id).toBe('lead-1');
    expect(parsed.coordinators.length).toBeGreaterThan(0);
  });

  it('finds co-ordinators and their lead', () => {
    expect(findCoordinator(directory, 'co-1')?.name).toBe('Alex Okafor');
    expect(findCoordinator(directory, 'lead-1')?.name).toBe('Morgan Lead');
    expect(findCoordinator(directory, 'co-404')).toBeUndefined();
    expect(leadFor(directory, 'co-2').id).toBe('co-1');
    expect(leadFor(directory, 'co-1').id).toBe('lead-1');
    expect(leadFor(directory).id).toBe('lead-1');
    expect(mailDomain(directory)).toBe('riverside.example.org');
  });

  it('names every problem by its field', () => {
    const error = (() => {
      try {
        parseDirectory({
          scheme: { name: 'S', from: 'not-an-address' },
          leadCoordinator: { id: 'lead-1', name: 'L', email: 'l@s.org' },
          coordinators: [
            { id: 'co-1', name: 'A', email: 'a@s.org', leadId: 'co-9' },
            { id: 'co-1', name: 'B', email: 'b@s.org' },
            { id: 'Alex Smith', name: 'C', email: 'c@s.org' },
          ],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DirectoryError);
    const problems = (error as DirectoryError).problems.join('\n');
    expect(problems).toContain('scheme.from:');
    expect(problems).toContain('coordinators.2.id: an id is 1-64 letters');
  });

  it('refuses a co-ordinator listed twice and a lead that does not exist', () => {
    const problems = (() => {
      try {
        parseDirectory({
          scheme: { name: 'S', from: 's@s.org' },
          leadCoordinator: { id: 'lead-1', name: 'L', email: 'l@s.org' },
          coordinators: [
            { id: 'co-1', name: 'A', email: 'a@s.org', leadId: 'co-9' },
            { id: 'co-1', name: 'B', email: 'b@s.org', leadId: 'lead-1' },
          ],
        });
      } catch (e) {
        return (e as DirectoryError).problems;
      }
    })();
    expect(problems).toEqual([
      'coordinators.1.id: "co-1" is listed twice',
      'coordinators.0.leadId: "co-9" is neither a co-ordinator nor the lead co-ordinator',
    ]);
  });
});
