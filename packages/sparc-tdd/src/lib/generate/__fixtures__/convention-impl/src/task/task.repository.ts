import type { Task } from './task.schema';

export interface TaskRepository {
  insert(task: Task): Promise<Task>;
  find(id: string): Promise<Task | undefined>;
  page(offset: number, limit: number): Promise<{ items: Task[]; total: number }>;
  replace(task: Task): Promise<Task>;
  remove(id: string): Promise<boolean>;
}

export class InMemoryTaskRepository implements TaskRepository {
  readonly #tasks = new Map<string, Task>();

  async insert(task: Task): Promise<Task> {
    this.#tasks.set(task.id, task);
    return task;
  }

  async find(id: string): Promise<Task | undefined> {
    return this.#tasks.get(id);
  }

  async page(offset: number, limit: number): Promise<{ items: Task[]; total: number }> {
    const all = [...this.#tasks.values()];
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  async replace(task: Task): Promise<Task> {
    this.#tasks.set(task.id, task);
    return task;
  }

  async remove(id: string): Promise<boolean> {
    return this.#tasks.delete(id);
  }
}
