import { derivedCheckFor } from './criteria';

describe('derivedCheckFor', () => {
  it.each([
    ['A task can be created with a title', 'create'],
    ['Users can add a note', 'create'],
    ['Tasks are listed a page at a time', 'list'],
    ['A task can be fetched by its id', 'get'],
    ['The title of a task can be changed', 'update'],
    ['A deleted task can no longer be read', 'delete'],
    ['Creating a task with an invalid title is rejected', 'validation'],
    ['Updating with a missing required field fails with 400', 'validation'],
    ['Asking for an unknown id answers not found', 'not-found'],
    ['Deleting a task that does not exist returns 404', 'not-found'],
  ])('%s → %s', (criterion, check) => {
    expect(derivedCheckFor(criterion)).toBe(check);
  });

  it.each(['Tasks are shown in the weekly email digest', 'Every request is logged with its duration', 'The page loads in under 200 ms on a phone'])('leaves "%s" to a person', (criterion) => {
    expect(derivedCheckFor(criterion)).toBeUndefined();
  });
});
