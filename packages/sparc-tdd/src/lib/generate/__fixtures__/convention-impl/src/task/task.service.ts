import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors';
import { InMemoryTaskRepository, type TaskRepository } from './task.repository';
import { CreateTaskSchema, UpdateTaskSchema, type CreateTaskInput, type Task, type UpdateTaskInput } from './task.schema';

const pageSchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((limit) => Math.min(limit, 100)),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(result.error.issues);
  return result.data;
}

export class TaskService {
  constructor(private readonly repository: TaskRepository = new InMemoryTaskRepository()) {}

  async create(input: CreateTaskInput): Promise<Task> {
    return this.repository.insert({ id: randomUUID(), ...parse(CreateTaskSchema, input) });
  }

  async get(id: string): Promise<Task> {
    const task = await this.repository.find(id);
    if (!task) throw new NotFoundError('Task', id);
    return task;
  }

  async list(query: { offset?: number; limit?: number }): Promise<{ items: Task[]; total: number; offset: number; limit: number }> {
    const { offset, limit } = parse(pageSchema, query);
    const { items, total } = await this.repository.page(offset, limit);
    return { items, total, offset, limit };
  }

  async update(id: string, patch: UpdateTaskInput): Promise<Task> {
    const existing = await this.get(id);
    return this.repository.replace({ ...existing, ...parse(UpdateTaskSchema, patch), id });
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.remove(id))) throw new NotFoundError('Task', id);
  }
}
